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

// TestParseBoundsWork: the shapes that took seconds (issue 16, item 3)
// are refused with a reason for the reader; those within the bounds pass.
func TestParseBoundsWork(t *testing.T) {
	var alphabet []string
	for c := 'a'; c <= 'x'; c++ {
		alphabet = append(alphabet, string(c)+"*")
	}
	for _, in := range []string{
		strings.Join(alphabet, " OR "),
		"a*",
		"ab*",
		"learning ab*",
		"-ab* learning",
		`"neural ne"*`,
		"con* OR pro* OR com* OR dis* OR pre*",
		`"` + strings.Repeat("the ", 240) + `"`,
		`"` + strings.Repeat("the ", MaxPhraseWords+1) + `"`,
		"a-b-c-d-e-f-g-h-i-j",
	} {
		_, err := Parse(in)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Reason == "" {
			t.Errorf("Parse(%.50q): err = %v, want a QueryError", in, err)
		}
	}
	for _, in := range []string{
		"aug*",
		"con* OR pro* OR com* OR dis*",
		`"` + strings.Repeat("the ", MaxPhraseWords) + `"`,
		`"neural net"*`,
		"数学*",
		strings.Repeat("word ", MaxTerms),
	} {
		if _, err := Parse(in); err != nil {
			t.Errorf("Parse(%.50q): %v", in, err)
		}
	}
}

// TestParseFoldsCompatibilityForms: full-width letters and ligatures read
// as the letters they stand for (NFKC), as the importer stores text.

func TestParseFoldsCompatibilityForms(t *testing.T) {
	for in, want := range map[string]string{
		"ｇｒｏｗｔｈ":  `growth`,
		"ＧＲＯＷＴＨ＊": `GROWTH*`,
		"ﬁne":     `fine`,
		"“ａ ｂ”":   `"a b"`,
	} {
		q, err := Parse(in)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if got := q.String(); got != want {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestCostly: the shapes the site runs fewer of at once. A question of
// many words is costly however plain its words are; two or three words
// are not.
func TestCostly(t *testing.T) {
	for in, want := range map[string]bool{
		"network":                                   false,
		"learning rate":                             false,
		"gradient descent learning rate":            false,
		"-dropout learning rate":                    false,
		"what did they say about the learning rate": true,
		"the a of and to":                           true,
		"net*":                                      true,
		"dropout OR regularization":                 true,
		`"learning rate"`:                           true,
	} {
		q, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		if got := q.Costly(); got != want {
			t.Errorf("Parse(%q).Costly() = %v, want %v", in, got, want)
		}
	}
}
