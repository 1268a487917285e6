package search

import (
	"context"
	"regexp"
	"strings"
	"unicode"

	porter "github.com/blevesearch/go-porterstemmer"
)

// Spelling correction. Transcripts come from speech recognition and
// queries are typed in a hurry: a word the index does not hold, or holds
// far more rarely than a close neighbour, is replaced by the neighbour.
// Words are compared as the index keeps them, as Porter stems (the
// stemmer here gives exactly FTS5's porter stems), so "retension" (stem
// "retens") finds "retention" (stem "retent") and never "redesign".

const (
	// rareWordDocs: a word in fewer segments than this may be a typo.
	rareWordDocs = 4
	// neighbourRatio: a rare word the index holds is corrected only to a
	// neighbour held by this many times more segments: a name said twice
	// must stay findable beside a common word one letter away.
	neighbourRatio = 100
)

// Correction is a word of the query replaced by a better spelling.
type Correction struct {
	From, To string
}

// stem returns the index's term for a lowercase word.
func stem(w string) string { return porter.StemString(w) }

// maxEdits is how far a typed word may be from its correction:
// Damerau–Levenshtein 1 up to 7 letters, 2 beyond.
func maxEdits(w string) int {
	if len([]rune(w)) <= 7 {
		return 1
	}
	return 2
}

// correct returns q with its misspelt words corrected, and the
// corrections; none when every word is found often enough.
func (e *Engine) correct(ctx context.Context, q Query) (Query, []Correction, error) {
	var fixes []Correction
	to := map[string]string{}
	for _, w := range q.words() {
		better, err := e.correction(ctx, w)
		if err != nil {
			return q, nil, err
		}
		if better != "" && better != w {
			to[w] = better
			fixes = append(fixes, Correction{From: w, To: better})
		}
	}
	if len(fixes) == 0 {
		return q, nil, nil
	}
	fixed := Query{Truncated: q.Truncated, Near: q.Near}
	replace := func(t Term) Term {
		ws := make([]string, len(t.Words))
		for i, w := range t.Words {
			ws[i] = w
			if c, ok := to[strings.ToLower(w)]; ok && !(t.Prefix && i == len(t.Words)-1) {
				ws[i] = c
			}
		}
		return Term{Words: ws, Prefix: t.Prefix}
	}
	for _, g := range q.Groups {
		ng := make([]Term, len(g))
		for i, t := range g {
			ng[i] = replace(t)
		}
		fixed.Groups = append(fixed.Groups, ng)
	}
	fixed.Excluded = q.Excluded
	return fixed, fixes, nil
}

// correction returns a much more frequent word of the index close to w,
// as the transcripts write it, or "".
func (e *Engine) correction(ctx context.Context, w string) (string, error) {
	if len([]rune(w)) < 4 || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return "", nil
	}
	n, err := e.index.WordDocs(ctx, w, rareWordDocs)
	if err != nil || n >= rareWordDocs {
		return "", err
	}
	typed := stem(w)
	// Candidates share the first letter: a slip rarely falls there, and
	// the vocabulary is read only in that range.
	terms, err := e.index.Terms(ctx, string([]rune(typed)[:1]), max(2, neighbourRatio*n))
	if err != nil {
		return "", err
	}
	limit := maxEdits(w)
	best, bestDist, bestDocs := "", limit+1, 0
	for _, t := range terms {
		if t.Term == typed {
			continue
		}
		if d := abs(len(t.Term) - len(typed)); d > limit {
			continue
		}
		d := editDistance(typed, t.Term)
		if d < bestDist || (d == bestDist && t.Docs > bestDocs) {
			best, bestDist, bestDocs = t.Term, d, t.Docs
		}
	}
	if best == "" {
		return "", nil
	}
	return e.surfaceForm(ctx, best, w)
}

// surfaceForm returns how the indexed stem is written in the transcripts:
// of the words that stem to it, the one closest to what was typed
// ("learn" → "learning" for "lerning"), then the most common.
func (e *Engine) surfaceForm(ctx context.Context, term, typed string) (string, error) {
	words, err := e.index.SurfaceForms(ctx, term, 20)
	if err != nil {
		return "", err
	}
	seen := map[string]int{}
	for _, word := range words {
		word = strings.ToLower(word)
		if stem(word) == term {
			seen[word]++
		}
	}
	best, bestDist, bestN := "", 1<<30, 0
	for word, n := range seen {
		d := editDistance(word, typed)
		if d < bestDist || (d == bestDist && (n > bestN || n == bestN && word < best)) {
			best, bestDist, bestN = word, d, n
		}
	}
	if best == "" {
		return term, nil
	}
	return best, nil
}

// words returns the lowercase words the query looks for (not those it
// excludes, nor prefixes).
func (q Query) words() []string {
	var ws []string
	seen := map[string]bool{}
	for _, g := range q.Groups {
		for _, t := range g {
			for i, w := range t.Words {
				w = strings.ToLower(w)
				if (t.Prefix && i == len(t.Words)-1) || seen[w] {
					continue
				}
				seen[w] = true
				ws = append(ws, w)
			}
		}
	}
	return ws
}

// editDistance is the Damerau–Levenshtein distance between a and b (the
// optimal string alignment variant: an adjacent transposition is one
// edit).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// applyCorrections returns input with each corrected word replaced, as a
// whole word and whatever its case.
func applyCorrections(input string, fixes []Correction) string {
	for _, f := range fixes {
		re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(f.From) + `\b`)
		input = re.ReplaceAllLiteralString(input, f.To)
	}
	return input
}
