package search

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRejectsNothingToSearch(t *testing.T) {
	for _, in := range []string{"", "   ", "-the", "NOT x", "+++", "😀", `""`, "OR AND"} {
		_, err := Parse(in)
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, ErrBadQuery) || qe.Reason == "" {
			t.Errorf("Parse(%q): err = %v, want a QueryError", in, err)
		}
	}
}

func TestParseBoundsTerms(t *testing.T) {
	q, err := Parse(strings.Repeat("word ", MaxTerms+10))
	if err != nil {
		t.Fatal(err)
	}
	if !q.Truncated || len(q.Groups) != MaxTerms {
		t.Errorf("truncated %v, %d terms", q.Truncated, len(q.Groups))
	}
}

func TestFragments(t *testing.T) {
	got := fragments("…a " + MarkStart + "b" + MarkEnd + " <c> " + MarkStart + "d" + MarkEnd)
	want := []Fragment{{"…a ", false}, {"b", true}, {" <c> ", false}, {"d", true}}
	if len(got) != len(want) {
		t.Fatalf("fragments = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fragment %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSnippetWindow(t *testing.T) {
	m := func(w string) string { return MarkStart + w + MarkEnd }
	words := strings.Fields(strings.Repeat("a ", 30) + m("x") + " b " + m("x") + " " + strings.Repeat("c ", 30))
	got := snippet(strings.Join(words, " "), 10)
	if !strings.HasPrefix(got, "…a a a a "+m("x")) || !strings.HasSuffix(got, "…") || strings.Count(got, MarkStart) != 2 {
		t.Errorf("window %q", got)
	}
	// A phrase cut by the window keeps balanced markers.
	phrase := strings.Repeat("a ", 20) + MarkStart + strings.Repeat("p ", 12) + "p" + MarkEnd + strings.Repeat(" z", 20)
	got = snippet(phrase, 8)
	if strings.Count(got, MarkStart) != strings.Count(got, MarkEnd) || strings.Index(got, MarkEnd) < strings.Index(got, MarkStart) {
		t.Errorf("unbalanced %q", got)
	}
	if short := snippet("one "+m("two")+" three", 40); short != "one "+m("two")+" three" {
		t.Errorf("short text %q", short)
	}
}
