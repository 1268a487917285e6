package relevance_test

import (
	"strings"
	"testing"

	"github.com/transcripts/site/internal/relevance"
)

func TestKnownItems(t *testing.T) {
	c := relevance.Generate(relevance.DefaultSeed)
	items := relevance.KnownItems(c, 80, relevance.DefaultSeed)
	if len(items) != 80 {
		t.Fatalf("%d known items, want 80", len(items))
	}
	again := relevance.KnownItems(c, 80, relevance.DefaultSeed)
	for i, it := range items {
		if it.Target.Kind != relevance.Conversation {
			t.Errorf("item %d targets %s", i, it.Target.Kind)
		}
		if again[i].Queries[relevance.Typo] != it.Queries[relevance.Typo] || again[i].Queries[relevance.Question] != it.Queries[relevance.Question] {
			t.Errorf("item %d differs from one run to the next", i)
		}
		bare := strings.Fields(it.Queries[relevance.Bare])
		if len(bare) != 3 {
			t.Errorf("item %d: bare query %q", i, it.Queries[relevance.Bare])
		}
		text := strings.ToLower(it.Target.Text)
		for _, w := range bare {
			if !strings.Contains(text, w) {
				t.Errorf("item %d: %q is not said in the target %q", i, w, it.Target.Text)
			}
			if !strings.Contains(it.Queries[relevance.Question], w) {
				t.Errorf("item %d: question %q lacks %q", i, it.Queries[relevance.Question], w)
			}
		}
		typo := strings.Fields(it.Queries[relevance.Typo])
		changed := 0
		for j := range typo {
			if typo[j] == bare[j] {
				continue
			}
			changed++
			if len(bare[j]) < 5 || relevance.DamerauLevenshtein(typo[j], bare[j]) != 1 {
				t.Errorf("item %d: typo %q of %q", i, typo[j], bare[j])
			}
		}
		if changed != 1 {
			t.Errorf("item %d: typo query %q changes %d words of %q", i, it.Queries[relevance.Typo], changed, it.Queries[relevance.Bare])
		}
	}
}

func TestDamerauLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"retention", "retention", 0},
		{"retension", "retention", 1}, // substitution
		{"retenion", "retention", 1},  // deletion
		{"retentiion", "retention", 1},
		{"rtention", "retention", 1},
		{"reetntion", "retention", 1}, // transposition
		{"redesign", "retention", 4},
		{"", "abc", 3},
	} {
		if got := relevance.DamerauLevenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("DamerauLevenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestLabelEarnings(t *testing.T) {
	c := relevance.LabelEarnings(relevance.Corpus{
		{Speaker: "Operator", Text: "Thank you. Our next question comes from Jane Doe with Example Securities."},
		{Speaker: "Speaker 1", Text: "Good morning, ladies and gentlemen, and welcome to the call. At this time all participants are in a listen-only mode."},
		{Speaker: "Jo Smith", Text: "Today's remarks contain forward-looking statements, and actual results may differ materially."},
		{Speaker: "Jo Smith", Text: "Revenue grew 12 percent on stronger demand in the second quarter."},
	})
	want := []relevance.Kind{relevance.Script, relevance.Script, relevance.Disclaimer, relevance.Conversation}
	for i, s := range c {
		if s.Kind != want[i] {
			t.Errorf("segment %d is %s, want %s", i, s.Kind, want[i])
		}
	}
}
