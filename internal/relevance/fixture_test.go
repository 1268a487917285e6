package relevance_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/relevance"
)

func jsonl(t *testing.T, c relevance.Corpus) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.WriteJSONL(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := jsonl(t, relevance.Generate(relevance.DefaultSeed)), jsonl(t, relevance.Generate(relevance.DefaultSeed))
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed made two different collections")
	}
	if bytes.Equal(a, jsonl(t, relevance.Generate(relevance.DefaultSeed+1))) {
		t.Fatal("another seed made the same collection")
	}
	if len(a) > 10<<20 {
		t.Errorf("the fixture is %d bytes, more than 10 MB", len(a))
	}
}

// TestFixtureShape checks the fixture is the collection the relevance
// tests describe: long multi-speaker episodes of dataset-like segments,
// recurring reads, intros and outros, and conversation that names the
// sponsors.
func TestFixtureShape(t *testing.T) {
	c := relevance.Generate(relevance.DefaultSeed)
	if n := c.Videos(); n < 40 || n > 60 {
		t.Errorf("%d episodes, want 40–60", n)
	}
	if len(c) < 8000 || len(c) > 12000 {
		t.Errorf("%d segments, want 8,000–12,000", len(c))
	}
	type episode struct {
		speakers map[string]bool
		last     relevance.Segment
		intros   int
		outros   int
	}
	episodes := map[string]*episode{}
	channels := map[string]bool{}
	readIn := map[string]map[string]bool{} // cluster → videos
	var typical, typicalTime int
	date := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	for i, s := range c {
		if !catalog.ValidVideoID(s.VideoID) {
			t.Fatalf("segment %d: video id %q", i, s.VideoID)
		}
		if _, err := time.Parse("2006-01-02", s.Published); err != nil || !date.MatchString(s.Published) {
			t.Fatalf("segment %d: published %q", i, s.Published)
		}
		e := episodes[s.VideoID]
		if e == nil {
			e = &episode{speakers: map[string]bool{}}
			episodes[s.VideoID] = e
		} else if s.Start <= e.last.Start || s.Start < e.last.End {
			t.Fatalf("segment %d starts at %d, before the previous one (%d–%d) ends", i, s.Start, e.last.Start, e.last.End)
		}
		e.last = s
		e.speakers[s.Speaker] = true
		channels[s.Channel] = true
		if len(s.Text) >= 360 && len(s.Text) <= 490 {
			typical++
		}
		if d := s.End - s.Start; d >= 20 && d <= 30 {
			typicalTime++
		}
		if len(s.Text) < 150 || len(s.Text) > 500 {
			t.Errorf("segment %d is %d characters: %q", i, len(s.Text), s.Text)
		}
		switch s.Kind {
		case relevance.Intro:
			e.intros++
		case relevance.Outro:
			e.outros++
		}
		if s.Kind.Repeated() {
			if readIn[s.Cluster] == nil {
				readIn[s.Cluster] = map[string]bool{}
			}
			readIn[s.Cluster][s.VideoID] = true
		}
	}
	if share := float64(typical) / float64(len(c)); share < 0.9 {
		t.Errorf("%.0f %% of segments are 360–490 characters, want 90 %%", 100*share)
	}
	if share := float64(typicalTime) / float64(len(c)); share < 0.85 {
		t.Errorf("%.0f %% of segments last 20–30 s, want 85 %%", 100*share)
	}
	for id, e := range episodes {
		if n := len(e.speakers); n < 2 || n > 4 {
			t.Errorf("%s: %d speakers, want 2–4", id, n)
		}
		if m := e.last.End / 60; m < 44 || m > 92 {
			t.Errorf("%s: %d minutes, want 45–90", id, m)
		}
		if e.intros == 0 || e.outros == 0 {
			t.Errorf("%s: %d intro and %d outro segments", id, e.intros, e.outros)
		}
	}
	if len(channels) < 5 {
		t.Errorf("%d shows, want several", len(channels))
	}
	ads := 0
	for cluster, videos := range readIn {
		if strings.HasPrefix(cluster, "ad:") {
			ads++
			if len(videos) < 10 {
				t.Errorf("%s is read in %d episodes, want 10 or more", cluster, len(videos))
			}
		}
	}
	if ads < 3 || ads > 6 {
		t.Errorf("%d sponsors, want 3–6", ads)
	}
	// Conversation may name a sponsor and echo its read: it stays content.
	named := 0
	for _, s := range c {
		if s.Kind == relevance.Conversation && strings.Contains(s.Text, "Clearfile for the SOC 2 evidence") {
			named++
		}
	}
	if named == 0 {
		t.Error("no conversation names Clearfile")
	}
}

// TestFixtureVocabulary checks each topic's conversation says hundreds of
// distinct words, so that a few words find a moment.
func TestFixtureVocabulary(t *testing.T) {
	words := map[string]map[string]bool{}
	for _, s := range relevance.Generate(relevance.DefaultSeed) {
		if s.Kind != relevance.Conversation {
			continue
		}
		if words[s.Topic] == nil {
			words[s.Topic] = map[string]bool{}
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(s.Text), func(r rune) bool { return r < 'a' || r > 'z' }) {
			if len(w) >= 4 {
				words[s.Topic][w] = true
			}
		}
	}
	if len(words) < 10 {
		t.Errorf("%d topics, want 10 or more", len(words))
	}
	for topic, ws := range words {
		if len(ws) < 300 {
			t.Errorf("%s: %d distinct words of four letters or more, want hundreds", topic, len(ws))
		}
	}
}
