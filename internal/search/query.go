package search

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ErrBadQuery is wrapped by every error about what a person typed: a query
// with nothing to search for. Its message is written for the reader.
var ErrBadQuery = errors.New("bad query")

// QueryError explains why a query cannot be searched, in words for the
// reader.
type QueryError struct{ Reason string }

func (e *QueryError) Error() string { return e.Reason }
func (e *QueryError) Unwrap() error { return ErrBadQuery }

// MaxTerms bounds the number of words and phrases one query may hold; the
// rest are ignored (and the reader told so).
const MaxTerms = 24

// Bounds on the work one query may ask for. A prefix is looked up as
// every word it starts (a* is thousands of words, each with its list of
// segments) and a phrase checks the positions of all its words in every
// segment holding them all, so a few short prefixes or one long phrase
// of common words cost seconds and starve every other search. A query
// past a bound is not searched: the reader is told what to change (a
// *QueryError), rather than shown results of a different query.
const (
	// MinPrefixLetters is the shortest prefix: "aug*", not "a*".
	MinPrefixLetters = 3
	// MaxPrefixTerms bounds the words ending in * of one query.
	MaxPrefixTerms = 4
	// MaxPhraseWords bounds the words of one quoted phrase.
	MaxPhraseWords = 8
)

// Term is one word, prefix or quoted phrase: its words are searched as a
// phrase, the last one as a prefix when Prefix is set. Words hold only
// letters, digits and marks.
type Term struct {
	Words  []string
	Prefix bool
}

// Query is a parsed search: every group must match (AND), a group matches
// when any of its terms does (OR), and no excluded term may match. An
// Index translates it into its backend's own query language.
type Query struct {
	Groups   [][]Term
	Excluded []Term
	// Near, when above zero, asks for the groups' terms within Near words
	// of each other; only for queries whose groups each hold one term.
	Near      int
	Truncated bool // more than MaxTerms terms were typed; the rest were ignored
	// Filter holds the operators typed in the box (speaker:"Ada Lovelace",
	// channel:ID, after:2020, before:2021-06): they narrow the search as
	// the same URL parameters do.
	Filter Filter
}

// Parse turns what a person typed into a Query. The syntax is a small,
// forgiving subset of what web search engines accept:
//
//	word          segments containing the word (stemmed: "augment" finds "augmented")
//	a b           both words
//	"a b"         the exact phrase
//	word*         words starting with "word"
//	a OR b        either word
//	-word, NOT w  segments without the word
//
// Every other character is treated as a word separator, so nothing a
// person may type reaches FTS5 as syntax. A query with no word to look for
// returns a *QueryError.
func Parse(input string) (Query, error) {
	// Compatibility forms read as what they stand for: full-width
	// "ｇｒｏｗｔｈ" is "growth", "ﬁ" is "fi", as the importer stores them.
	input = norm.NFKC.String(input)
	var q Query
	var pendingOr, pendingNot bool
	count, prefixes := 0, 0
	toks := lex(input)
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		if name, value, ok := operator(toks, &i); ok {
			if err := q.Filter.set(name, value); err != nil {
				return Query{}, err
			}
			continue
		}
		if !tok.quoted {
			switch tok.text {
			case "OR":
				pendingOr = len(q.Groups) > 0
				continue
			case "AND":
				continue
			case "NOT":
				pendingNot = true
				continue
			}
		}
		t, ok := makeTerm(tok)
		if !ok {
			continue
		}
		if count == MaxTerms {
			q.Truncated = true
			break
		}
		if err := t.bounded(); err != nil {
			return Query{}, err
		}
		if t.Prefix {
			if prefixes++; prefixes > MaxPrefixTerms {
				return Query{}, &QueryError{Reason: "A search may hold at most " + strconv.Itoa(MaxPrefixTerms) +
					" words ending in *: each stands for many words. Spell some of them out."}
			}
		}
		count++
		switch {
		case tok.negated || pendingNot:
			q.Excluded = append(q.Excluded, t)
		case pendingOr:
			last := len(q.Groups) - 1
			q.Groups[last] = append(q.Groups[last], t)
		default:
			q.Groups = append(q.Groups, []Term{t})
		}
		pendingOr, pendingNot = false, false
	}
	if len(q.Groups) == 0 && len(q.Excluded) == 0 && q.Filter.Narrowed() {
		return q, nil // operators alone: every line they allow (Browse)
	}
	if len(q.Groups) == 0 {
		if len(q.Excluded) > 0 {
			return Query{}, &QueryError{Reason: "Add a word to look for: a search cannot only exclude words."}
		}
		return Query{}, &QueryError{Reason: "Type a word to look for: this query has no letters or digits to search."}
	}
	return q, nil
}

// Browse reports whether q holds no word, only filters: it lists every
// line they allow.
func (q Query) Browse() bool { return len(q.Groups) == 0 }

// operators are the names of the filters a query may hold, name:value.
var operators = []string{"speaker", "channel", "after", "before"}

// operator reads a filter at toks[*i], "speaker:ada" or "speaker:" then a
// quoted value, advancing *i past what it takes.
func operator(toks []token, i *int) (name, value string, ok bool) {
	tok := toks[*i]
	if tok.quoted || tok.negated {
		return "", "", false
	}
	name, value, found := strings.Cut(tok.text, ":")
	if !found || !slices.Contains(operators, strings.ToLower(name)) {
		return "", "", false
	}
	if value == "" {
		if *i+1 >= len(toks) || !toks[*i+1].quoted {
			return "", "", false
		}
		*i++
		value = toks[*i].text
	}
	return strings.ToLower(name), strings.TrimSpace(value), true
}

// token is a run of input between spaces, or a quoted phrase.
type token struct {
	text    string
	quoted  bool
	negated bool
}

// lex splits input into bare words and quoted phrases. An unbalanced quote
// runs to the end of the input.
func lex(input string) []token {
	var toks []token
	rs := []rune(input)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		negated := false
		if rs[i] == '-' && i+1 < len(rs) && !unicode.IsSpace(rs[i+1]) {
			negated = true
			i++
		}
		if isQuote(rs[i]) {
			j := i + 1
			for j < len(rs) && !isQuote(rs[j]) {
				j++
			}
			toks = append(toks, token{text: string(rs[i+1 : j]), quoted: true, negated: negated})
			i = j + 1
			// A "phrase"* asks for its last word as a prefix.
			if i < len(rs) && rs[i] == '*' {
				toks[len(toks)-1].text += "*"
				i++
			}
			continue
		}
		j := i
		for j < len(rs) && !unicode.IsSpace(rs[j]) && !isQuote(rs[j]) {
			j++
		}
		toks = append(toks, token{text: string(rs[i:j]), negated: negated})
		i = j
	}
	return toks
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

// makeTerm keeps the letters and digits of a token. It reports false when
// nothing searchable is left.
func makeTerm(tok token) (Term, bool) {
	words := strings.FieldsFunc(tok.text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
	if len(words) == 0 {
		return Term{}, false
	}
	return Term{Words: words, Prefix: strings.HasSuffix(tok.text, "*")}, true
}

// bounded returns a *QueryError when t asks for more work than a search
// may do: a prefix shorter than MinPrefixLetters, a phrase longer than
// MaxPhraseWords.
func (t Term) bounded() error {
	if len(t.Words) > MaxPhraseWords {
		return &QueryError{Reason: "A quoted phrase may hold at most " + strconv.Itoa(MaxPhraseWords) +
			" words: quote the most telling part of it."}
	}
	if last := t.Words[len(t.Words)-1]; t.Prefix && prefixLetters(last) < MinPrefixLetters {
		return &QueryError{Reason: "A word ending in * needs at least " + strconv.Itoa(MinPrefixLetters) +
			" letters before the *: “" + last + "*” would stand for too many words."}
	}
	return nil
}

// prefixLetters measures a prefix in Latin letters: a Chinese, Japanese
// or Korean character says about as much as two.
func prefixLetters(word string) int {
	n := 0
	for _, r := range word {
		n++
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
			n++
		}
	}
	return n
}

// maxCheapWords is the most words a search may have before it counts as
// costly: every tier reads each word's matches again (the words together
// with NEAR, then relaxation's subsets), so a question of ten common
// words costs 20 to 100 times a search of two (80–380 ms against 4 ms at
// 300k segments, BENCHMARKS.md).
const maxCheapWords = 4

// Costly reports whether q holds a prefix, an alternative (OR), a phrase
// or more than maxCheapWords words: the shapes whose cost grows with the
// vocabulary and the size of the collection rather than with what they
// find. The site runs fewer of them at once than of other searches.
func (q Query) Costly() bool {
	if q.HasPrefix() || q.hasAlternatives() || len(q.Groups) > maxCheapWords {
		return true
	}
	for _, g := range q.Groups {
		for _, t := range g {
			if len(t.Words) > 1 {
				return true
			}
		}
	}
	return false
}

// HasPrefix reports whether a word of q is a prefix (word*).
func (q Query) HasPrefix() bool {
	for _, g := range q.Groups {
		for _, t := range g {
			if t.Prefix {
				return true
			}
		}
	}
	return false
}

// hasAlternatives reports whether some word of q may be replaced by
// another (OR).
func (q Query) hasAlternatives() bool {
	for _, g := range q.Groups {
		if len(g) > 1 {
			return true
		}
	}
	return false
}

// String returns the query in the syntax Parse reads, normalised.
func (q Query) String() string {
	var parts []string
	for _, g := range q.Groups {
		var alts []string
		for _, t := range g {
			alts = append(alts, t.String())
		}
		parts = append(parts, strings.Join(alts, " OR "))
	}
	for _, t := range q.Excluded {
		parts = append(parts, "-"+t.String())
	}
	return strings.Join(parts, " ")
}

// String returns the term as Parse reads it.
func (t Term) String() string {
	s := strings.Join(t.Words, " ")
	if len(t.Words) > 1 {
		s = `"` + s + `"`
	}
	if t.Prefix {
		s += "*"
	}
	return s
}
