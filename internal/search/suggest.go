package search

import (
	"context"
	"regexp"
	"strings"
	"unicode"
)

// Suggest returns input with its rare words replaced by close, much more
// frequent words of the index ("contrastiv lerning" → "contrastive
// learning"), or "" when it has nothing better. Transcripts are speech
// recognition with mishearings, so a near miss is common.
func (e *Engine) Suggest(ctx context.Context, input string) (string, error) {
	q, err := Parse(input)
	if err != nil {
		return "", nil // nothing to correct
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	corrected := input
	changed := false
	for _, w := range q.words() {
		better, err := e.correct(ctx, w)
		if err != nil {
			return "", e.wrap(ctx, input, err)
		}
		if better != "" && better != w {
			re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(w) + `\b`)
			corrected = re.ReplaceAllLiteralString(corrected, better)
			changed = true
		}
	}
	if !changed {
		return "", nil
	}
	return corrected, nil
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

// rareDocs: a word in fewer segments than this may be a mishearing or typo.
const rareDocs = 3

// correct returns a frequent word of the index close to w, or "".
func (e *Engine) correct(ctx context.Context, w string) (string, error) {
	if len([]rune(w)) < 4 || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return "", nil
	}
	n, err := e.index.WordDocs(ctx, w, rareDocs)
	if err != nil {
		return "", err
	}
	if n >= rareDocs {
		return "", nil
	}
	// Candidates share the first two letters (misheard words rarely start
	// differently, and the vocabulary is read only in that range), or, for
	// a typo in those, the first letter.
	rs := []rune(w)
	limit := 1
	if len(rs) > 5 {
		limit = 2
	}
	best := ""
	for _, prefix := range []string{string(rs[:2]), string(rs[:1])} {
		term, err := e.closest(ctx, w, prefix, limit, max(rareDocs, 10*n))
		if err != nil {
			return "", err
		}
		if term != "" {
			best = term
			break
		}
	}
	if best == "" {
		return "", nil
	}
	return e.surfaceForm(ctx, best, w)
}

// closest returns the vocabulary term starting with prefix that is within
// limit edits of w and found in at least minDocs segments: the nearest,
// then the most frequent.
func (e *Engine) closest(ctx context.Context, w, prefix string, limit, minDocs int) (string, error) {
	terms, err := e.index.Terms(ctx, prefix, minDocs)
	if err != nil {
		return "", err
	}
	stem := crudeStem(w)
	best, bestDist, bestDocs := "", limit+1, 0
	for _, t := range terms {
		d := min(distance(w, t.Term), distance(stem, t.Term))
		if d < bestDist || (d == bestDist && t.Docs > bestDocs) {
			best, bestDist, bestDocs = t.Term, d, t.Docs
		}
	}
	return best, nil
}

// surfaceForm returns how the indexed stem is written in the transcripts,
// the spelling closest to what was typed ("learn" → "learning" for
// "lerning").
func (e *Engine) surfaceForm(ctx context.Context, stem, typed string) (string, error) {
	words, err := e.index.SurfaceForms(ctx, stem, 20)
	if err != nil {
		return "", err
	}
	best, bestDist := stem, distance(stem, typed)
	for _, word := range words {
		word = strings.ToLower(word)
		if d := distance(word, typed); d < bestDist {
			best, bestDist = word, d
		}
	}
	return best, nil
}

// crudeStem strips a common English ending, to compare a typed word with
// the porter stems of the vocabulary.
func crudeStem(w string) string {
	for _, suffix := range []string{"ations", "ation", "ings", "ing", "ness", "ive", "ed", "es", "ly", "s", "e"} {
		if s, ok := strings.CutSuffix(w, suffix); ok && len(s) >= 3 {
			return s
		}
	}
	return w
}

// distance is the Levenshtein edit distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
