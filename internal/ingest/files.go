package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/transcripts/site/internal/catalog"
)

// Format is a kind of transcript file.
type Format string

// The formats Read understands.
const (
	JSONL     Format = "jsonl"    // the dataset's rows, one JSON object a line
	JSONArray Format = "json"     // the dataset's rows as one JSON array
	CSV       Format = "csv"      // the dataset's columns, a header row first
	TSV       Format = "tsv"      // the same, tab-separated
	Parquet   Format = "parquet"  // the dataset as the Hugging Face hub exports it
	SRT       Format = "srt"      // SubRip subtitles of one video
	VTT       Format = "vtt"      // WebVTT subtitles of one video
	Captions  Format = "captions" // youtube-transcript-api's JSON: [{"text","start","duration"}]
	Info      Format = "info"     // yt-dlp's .info.json: what a video is, no transcript
	Whisper   Format = "whisper"  // Whisper's or WhisperX's JSON: {"segments": [{"start","end","text","speaker"?}]}
	Podcast   Format = "podcast"  // a Podcasting 2.0 JSON transcript: {"version","segments": [{"speaker","startTime","endTime","body"}]}
	Text      Format = "text"     // timestamped speaker turns (Rev, Descript, Otter), with optional front matter
	Catalog   Format = "catalog"  // a SQLite database web import wrote: its whole collection
)

// Formats lists every format, for flag help.
var Formats = []Format{JSONL, JSONArray, CSV, TSV, Parquet, SRT, VTT, Captions, Info, Whisper, Podcast, Text, Catalog}

// ParseFormat reads a -format value; "" means detect.
func ParseFormat(s string) (Format, error) {
	if s == "" || slices.Contains(Formats, Format(s)) {
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown format %q (formats: %s)", s, FormatNames())
}

// FormatNames lists the formats a reader knows, for messages and help.
func FormatNames() string {
	var names []string
	for _, f := range Formats {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// Options say how to read files.
type Options struct {
	Format  Format // "" detects each file's format
	VideoID string // the video of subtitle files; "" reads it from the file name
	Title   string // the title of subtitle files' video
}

// Progress counts what Read has consumed, for a progress display; it is
// safe to read while the records are being read.
type Progress struct {
	TotalBytes int64 // of every file, known before the first record
	bytes      atomic.Int64
	files      atomic.Int64
}

// Bytes returns how many bytes have been read so far.
func (p *Progress) Bytes() int64 { return p.bytes.Load() }

// Files returns how many files have been opened so far.
func (p *Progress) Files() int64 { return p.files.Load() }

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Read reads every named file, and every transcript file under every named
// directory, in order. A file's format comes from opts.Format, else from
// its extension and, for .json, its content.
func Read(paths []string, opts Options) (iter.Seq2[catalog.Record, error], *Progress, error) {
	files, err := expand(paths, opts.Format != "")
	if err != nil {
		return nil, nil, err
	}
	p := &Progress{}
	for _, f := range files {
		p.TotalBytes += f.size
	}
	seq := func(yield func(catalog.Record, error) bool) {
		for _, f := range files {
			p.files.Add(1)
			if !readFile(f.path, opts, p, yield) {
				return
			}
		}
	}
	return prefetch(seq), p, nil
}

type file struct {
	path string
	size int64
}

// transcriptExtensions are the files a directory walk picks up.
var transcriptExtensions = []string{".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet", ".srt", ".vtt", ".txt"}

// expand lists the files to read: named files as they are, directories
// walked (in name order) for files with a transcript extension.
func expand(paths []string, anyExtension bool) ([]file, error) {
	var files []file
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, file{p, info.Size()})
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") && path != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !(anyExtension || slices.Contains(transcriptExtensions, strings.ToLower(filepath.Ext(name)))) {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			files = append(files, file{path, info.Size()})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// readFile yields the records of one file; it returns false when the
// reader should stop (the consumer stopped, or an error was yielded).
func readFile(path string, opts Options, p *Progress, yield func(catalog.Record, error) bool) bool {
	f, err := os.Open(path)
	if err != nil {
		yield(catalog.Record{}, err)
		return false
	}
	defer f.Close()
	counted := countingReader{f, &p.bytes}
	format := opts.Format
	br := bufio.NewReaderSize(counted, 64*1024)
	if format == "" {
		if format, err = detect(path, br); err != nil {
			yield(catalog.Record{}, err)
			return false
		}
	}
	var seq iter.Seq2[catalog.Record, error]
	switch format {
	case JSONL:
		seq = JSONLines(br, path)
	case JSONArray:
		seq = jsonArray(br, path)
	case CSV:
		seq = delimited(br, path, ',')
	case TSV:
		seq = delimited(br, path, '\t')
	case Parquet:
		seq = parquetRows(f, path, &p.bytes)
	case Info:
		seq = infoJSON(br, path)
	case Text:
		seq = textTranscript(br, path, opts)
	case Catalog:
		seq = catalogRecords(path, &p.bytes)
	case SRT, VTT, Captions, Whisper, Podcast:
		id, title, err := videoOf(path, opts)
		if err != nil {
			yield(catalog.Record{}, err)
			return false
		}
		switch format {
		case Captions:
			seq = Merge(captions(br, path, id, title))
		case Whisper:
			seq = whisperJSON(br, path, id, title)
		case Podcast:
			seq = podcastJSON(br, path, id, title)
		default:
			seq = Merge(Subtitles(br, path, id, title))
		}
	}
	for rec, err := range seq {
		if !yield(rec, err) || err != nil && !isRowError(err) {
			return false
		}
	}
	return true
}

// isRowError reports whether err is about one row, which a lenient import
// may skip, rather than the input as a whole.
func isRowError(err error) bool {
	var re *catalog.RowError
	return errors.As(err, &re)
}

// detect tells a file's format by its extension and, where one is shared,
// its first bytes.
func detect(path string, br *bufio.Reader) (Format, error) {
	name := strings.ToLower(filepath.Base(path))
	switch ext := filepath.Ext(name); ext {
	case ".jsonl", ".ndjson":
		return JSONL, nil
	case ".csv":
		return CSV, nil
	case ".tsv":
		return TSV, nil
	case ".parquet":
		return Parquet, nil
	case ".srt":
		return SRT, nil
	case ".vtt":
		return VTT, nil
	case ".txt":
		return Text, nil
	case ".db", ".sqlite", ".sqlite3":
		if head, _ := br.Peek(len(sqliteHeader)); string(head) == sqliteHeader {
			return Catalog, nil
		}
		return "", fmt.Errorf("%s: not a SQLite database", path)
	case ".json":
		if strings.HasSuffix(name, ".info.json") {
			return Info, nil
		}
		return detectJSON(path, br)
	}
	return "", fmt.Errorf("%s: unknown kind of file; name the format with -format (%s)", path, FormatNames())
}

// sqliteHeader begins every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// catalogRecords yields the collection of the SQLite catalog at path, read
// only, and counts its size as read once done.
func catalogRecords(path string, read *atomic.Int64) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		ctx := context.Background()
		cat, err := catalog.OpenReadOnly(ctx, path)
		if err != nil {
			yield(catalog.Record{}, fmt.Errorf("%s: %w", path, err))
			return
		}
		defer cat.Close()
		for r, err := range cat.Records(ctx, path) {
			if !yield(r, err) || err != nil {
				return
			}
		}
		if info, err := os.Stat(path); err == nil {
			read.Add(info.Size())
		}
	}
}

// detectJSON tells a JSON Lines file from a JSON array of dataset rows and
// from a youtube-transcript-api caption list, by the keys of the first
// object; and an object of its own (Whisper, a podcast transcript, yt-dlp's
// info) by its keys.
func detectJSON(path string, br *bufio.Reader) (Format, error) {
	head, _ := br.Peek(64 * 1024)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	if len(head) == 0 {
		return JSONL, nil
	}
	if head[0] == '{' {
		return detectObject(head), nil
	}
	if head[0] != '[' {
		return "", fmt.Errorf("%s: neither JSON Lines nor a JSON array", path)
	}
	dec := json.NewDecoder(bytes.NewReader(head))
	if _, err := dec.Token(); err != nil {
		return "", fmt.Errorf("%s: %v", path, err)
	}
	var first map[string]json.RawMessage
	if dec.More() {
		if err := dec.Decode(&first); err != nil {
			// The first object is longer than the peek: dataset rows are
			// short, caption lists are too; read it as the dataset.
			return JSONArray, nil
		}
	}
	_, hasStart := first["start"]
	_, hasVideo := first["video_id"]
	if hasStart && !hasVideo {
		return Captions, nil
	}
	return JSONArray, nil
}

// ytDLPName matches yt-dlp's default file names: "Title [VIDEO_ID].en.vtt".
var ytDLPName = regexp.MustCompile(`^(.*?)\s*\[([A-Za-z0-9_-]{11})\]`)

// videoOf returns the video id and title of a subtitle file: from the
// options, else from the file name (ID.srt, ID.en.vtt, Title [ID].en.vtt).
func videoOf(path string, opts Options) (id, title string, err error) {
	base := filepath.Base(path)
	title = opts.Title
	if m := ytDLPName.FindStringSubmatch(base); m != nil {
		id = m[2]
		if title == "" {
			title = m[1]
		}
	} else if first, _, _ := strings.Cut(base, "."); catalog.ValidVideoID(first) {
		id = first
	}
	if opts.VideoID != "" {
		id = opts.VideoID
	}
	if !catalog.ValidVideoID(id) {
		return "", "", fmt.Errorf("%s: cannot tell the video id from the file name (ID.srt, ID.en.vtt or Title [ID].vtt); give it with -video ID", path)
	}
	return id, title, nil
}

// detectObject tells what a JSON file that starts with an object is, from
// its first 64 KB: dataset rows (JSON Lines) have a video_id; a Podcasting
// 2.0 transcript has a version and segments of startTime and body; Whisper
// has segments of start and text; yt-dlp's info has an id and an
// extractor. A file that says too little is read as JSON Lines, whose
// errors say what is wrong.
func detectObject(head []byte) Format {
	dec := json.NewDecoder(bytes.NewReader(head))
	dec.Token() // the object's {
	keys := map[string]bool{}
	segment := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			break
		}
		keys[key] = true
		if key == "video_id" || key == "start_second" {
			return JSONL
		}
		if key == "segments" {
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				break
			}
			if dec.More() {
				dec.Decode(&segment) // a first segment cut by the 64 KB says nothing
			}
			break
		}
		if skipValue(dec) != nil {
			if key == "text" {
				// A text longer than 64 KB is no dataset row: Whisper
				// writes the whole transcript's text first.
				return Whisper
			}
			break
		}
	}
	has := func(m map[string]json.RawMessage, k string) bool { _, ok := m[k]; return ok }
	switch {
	case has(segment, "startTime") || has(segment, "body") || keys["version"] && keys["segments"]:
		return Podcast
	case has(segment, "start") || keys["segments"]:
		return Whisper
	case keys["id"] && (keys["extractor"] || keys["upload_date"] || keys["webpage_url"] || keys["channel_id"]):
		return Info
	}
	return JSONL
}
