// Genparquet writes the Parquet fixtures of internal/ingest's tests:
// testdata/dataset.parquet, the dataset's rows with every column a
// string, as the Hugging Face hub's exports declare them, and the quirks
// the reader must take (quotes and markup in the text, a thousands
// separator in the seconds, empty optional columns); and
// testdata/speakers.parquet, the rows of speakers.jsonl with the optional
// columns speaker, channel, channel_id and published.
//
// It is run by go generate in internal/ingest, from where the path is
// testdata/dataset.parquet; the output is the same byte for byte on every
// run, so regenerating changes nothing unless this program does.
package main

import (
	"bytes"
	"log"
	"os"

	"github.com/parquet-go/parquet-go"
)

// row is one dataset row as the hub's Parquet export has it.
type row struct {
	VideoID     string `parquet:"video_id"`
	Text        string `parquet:"text"`
	StartSecond string `parquet:"start_second"`
	EndSecond   string `parquet:"end_second"`
	URL         string `parquet:"url"`
	Title       string `parquet:"title"`
	Thumbnail   string `parquet:"thumbnail"`
}

var rows = []row{
	{"MpdbFLXOOIw", "them on the same side of the decision boundary", "838", "865", "", "Supervised Contrastive Learning", "https://i.ytimg.com/vi/MpdbFLXOOIw/hqdefault.jpg"},
	{"MpdbFLXOOIw", `objective now you still all you want to do, "quoted" & <tagged>`, "865", "893", "", "Supervised Contrastive Learning", ""},
	{"5cySIwg49RI", "an hour and more into the talk", "3,725", "3,750", "", "", ""},
}

// speakerRow is a row with the optional columns.
type speakerRow struct {
	VideoID     string `parquet:"video_id"`
	StartSecond int64  `parquet:"start_second"`
	EndSecond   int64  `parquet:"end_second"`
	Speaker     string `parquet:"speaker"`
	Text        string `parquet:"text"`
	Title       string `parquet:"title"`
	Channel     string `parquet:"channel"`
	ChannelID   string `parquet:"channel_id"`
	Published   string `parquet:"published"`
}

// speakers are the rows of every speakers.* fixture (speakerRows in the
// tests).
var speakers = []speakerRow{
	{"Lp9dQ2wEr4T", 0, 6, "Host", "Welcome to the show. Today: how bridges stand up.", "Bridges, episode 1", "Structures Weekly", "UCstructuresWeekly01", "2021-03-14"},
	{"Lp9dQ2wEr4T", 6, 14, "Guest", "Compression in the arch, tension in the cable. Everything else is detail.", "Bridges, episode 1", "Structures Weekly", "UCstructuresWeekly01", "2021-03-14"},
	{"Lp9dQ2wEr4T", 14, 17, "Host", "Detail that took two thousand years.", "Bridges, episode 1", "Structures Weekly", "UCstructuresWeekly01", "2021-03-14"},
}

// createdBy names the writer without its version: by default parquet-go
// stamps the version it finds in the build information, which differs
// between go run, go test and each upgrade, and would change the fixture's
// bytes when its rows have not changed.
var createdBy = &parquet.WriterConfig{CreatedBy: "github.com/parquet-go/parquet-go"}

func main() {
	log.SetFlags(0)
	log.SetPrefix("genparquet: ")
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows, createdBy); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("testdata/dataset.parquet", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	buf.Reset()
	if err := parquet.Write(&buf, speakers, createdBy); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("testdata/speakers.parquet", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
