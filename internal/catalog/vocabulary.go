package catalog

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/transcripts/site/internal/search"
)

// Term is a word of the transcripts' index: its stem as the index holds
// it, the form it is most often written in, and how many segments hold it.
type Term struct {
	Stem     string
	Word     string
	Segments int
}

// Prefix is the start of several words of the index: a search for
// Prefix* finds them. Words are its commonest written forms.
type Prefix struct {
	Prefix   string
	Words    []string
	Segments int // summed over the stems it starts
}

// FrequentTerms returns up to limit words of letters only, at least
// minLetters long, held by the most segments among those held by at most
// maxSegments (words in nearly every line say nothing of a collection),
// each with its commonest written form. It reads the whole vocabulary:
// callers keep the answer for as long as the catalog's version holds.
func (c *Catalog) FrequentTerms(ctx context.Context, limit, minLetters, maxSegments int) ([]Term, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT term, doc FROM segments_vocab
		WHERE doc <= ? AND length(term) >= ? AND term NOT GLOB '*[^a-z]*'
		ORDER BY doc DESC, term LIMIT ?`, maxSegments, minLetters, limit)
	if err != nil {
		return nil, fmt.Errorf("catalog: frequent terms: %w", err)
	}
	var terms []Term
	for rows.Next() {
		var t Term
		if err := rows.Scan(&t.Stem, &t.Segments); err != nil {
			rows.Close()
			return nil, fmt.Errorf("catalog: frequent terms: %w", err)
		}
		terms = append(terms, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: frequent terms: %w", err)
	}
	for i := range terms {
		forms, err := c.writtenForms(ctx, terms[i].Stem, 1)
		if err != nil {
			return nil, err
		}
		terms[i].Word = terms[i].Stem
		if len(forms) > 0 {
			terms[i].Word = forms[0]
		}
	}
	return terms, nil
}

// CommonPrefixes returns up to limit prefixes of letters (letters long)
// that start at least minStems stems of the index, those held by the most
// segments first, each with up to three of its commonest written forms.
func (c *Catalog) CommonPrefixes(ctx context.Context, limit, letters, minStems int) ([]Prefix, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT substr(term, 1, ?1) AS prefix, sum(doc) AS docs FROM segments_vocab
		WHERE length(term) > ?1 AND term NOT GLOB '*[^a-z]*'
		GROUP BY prefix HAVING count(*) >= ?2
		ORDER BY docs DESC, prefix LIMIT ?3`, letters, minStems, limit)
	if err != nil {
		return nil, fmt.Errorf("catalog: common prefixes: %w", err)
	}
	var ps []Prefix
	for rows.Next() {
		var p Prefix
		if err := rows.Scan(&p.Prefix, &p.Segments); err != nil {
			rows.Close()
			return nil, fmt.Errorf("catalog: common prefixes: %w", err)
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: common prefixes: %w", err)
	}
	for i := range ps {
		if ps[i].Words, err = c.writtenForms(ctx, ps[i].Prefix, 3); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// formSample is how many segments are read for the written forms of a
// stem or prefix.
const formSample = 40

// writtenForms returns up to n words, lowercased, that the index reads as
// starting with stem (letters only, so safe to quote in MATCH), commonest
// first, as a sample of the segments holding them writes them.
func (c *Catalog) writtenForms(ctx context.Context, stem string, n int) ([]string, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT highlight(segments_fts, 0, ?, ?) FROM segments_fts
		WHERE segments_fts MATCH ? LIMIT ?`, search.MarkStart, search.MarkEnd, `"`+stem+`"*`, formSample)
	if err != nil {
		return nil, fmt.Errorf("catalog: forms of %s: %w", stem, err)
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("catalog: forms of %s: %w", stem, err)
		}
		words = append(words, search.MarkedWords(h)...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: forms of %s: %w", stem, err)
	}
	return CommonForms(words, n), nil
}

// CommonForms returns up to n of words, lowercased, the commonest first
// (ties in byte order): the forms a stem is most often written in, for
// every store's search tips.
func CommonForms(words []string, n int) []string {
	counts := map[string]int{}
	for _, w := range words {
		counts[strings.ToLower(w)]++
	}
	forms := make([]string, 0, len(counts))
	for w := range counts {
		forms = append(forms, w)
	}
	slices.SortFunc(forms, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	return forms[:min(n, len(forms))]
}
