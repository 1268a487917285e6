package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// sponsoredEpisodes are five episodes that open with the same two-line
// sponsor read, then talk.
func sponsoredEpisodes() []string {
	read := []string{
		"this episode is brought to you by dreamfoam the mattress company that ships a mattress to your door in a box",
		"and gives you one hundred nights to try it go to dreamfoam dot com slash show and use the code at checkout for a discount",
	}
	talk := []string{"sleep schedules and how a guest changed careers", "night shifts in a hospital and what coffee does",
		"the history of the alarm clock", "dreams and whether anyone remembers them", "naps at work and why managers dislike them"}
	var rows []string
	for i := range 5 {
		id := fmt.Sprintf("episode%04d", i)
		title := fmt.Sprintf("Episode %d", i)
		rows = append(rows,
			row(id, 0, 30, read[0], title),
			row(id, 30, 60, read[1], title),
			row(id, 60, 90, "today "+talk[i], title),
			row(id, 90, 120, fmt.Sprintf("that was %d minutes of %s", 10+i, talk[(i+1)%5]), title))
	}
	return rows
}

// TestRepeatedLinesAreMarked: a transcript's repeated lines are dimmed,
// labelled once per block with how many videos say them and a link past
// the block, explained by a key, never hidden; JSON flags them.
func TestRepeatedLinesAreMarked(t *testing.T) {
	app := newTestApp(t, sponsoredEpisodes()...)
	doc := app.page(t, "/videos/episode0002", http.StatusOK)
	lines := doc.Find("ol.transcript > li")
	if lines.Length() != 4 {
		t.Fatalf("%d lines, want all 4: repeated lines are never hidden", lines.Length())
	}
	for i, want := range []bool{true, true, false, false} {
		if got := lines.Eq(i).HasClass("repeat"); got != want {
			t.Errorf("line %d repeat %v, want %v", i, got, want)
		}
	}
	label := lines.Eq(0).Find(".repeat-label")
	if got := strings.Join(strings.Fields(label.Text()), " "); got != "repeated in 5 videos · skip 2 repeated lines ↓" {
		t.Errorf("label %q", got)
	}
	if href := label.Find("a").AttrOr("href", ""); href != "#t60" {
		t.Errorf("skip link %q, want the first line after the block, #t60", href)
	}
	if n := doc.Find(".repeat-label").Length(); n != 1 {
		t.Errorf("%d labels, want one per block", n)
	}
	if key := doc.Find(".repeat-key").Text(); !strings.Contains(key, "repeated text") {
		t.Errorf("key %q", key)
	}
	// A video without repeated text has neither marks nor key.
	plain := app.page(t, "/videos/MpdbFLXOOIw", http.StatusOK)
	if plain.Find(".repeat, .repeat-key").Length() != 0 {
		t.Error("marks on a video without repeated text")
	}

	_, body := app.fetch(t, "/videos/episode0002.json", http.StatusOK, "application/json")
	res := decodeJSON[apiTranscript](t, body)
	for i, want := range []int{5, 5, 0, 0} {
		if s := res.Segments[i]; s.Repeated != (want > 0) || s.RepeatVideos != want {
			t.Errorf("JSON segment %d: repeated %v in %d videos, want %d", i, s.Repeated, s.RepeatVideos, want)
		}
	}
	if !strings.Contains(string(body), `"repeated":false,"repeat_videos":0`) {
		t.Error("JSON leaves out the flags of a line that is not repeated")
	}
}
