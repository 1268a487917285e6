package main

import (
	"context"
	"net/url"
	"slices"
	"sync"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/views"
)

// Search tips name words of the collection itself (not of one corpus):
// its frequent words, and a prefix that starts several of them.
const (
	tipWords      = 8    // frequent words offered
	tipCandidates = 40   // read from the index, before the filler is left out
	tipMinLetters = 5    // shorter stems are mostly function words
	tipMaxShare   = 0.05 // a word in more of the lines says little of the collection
	prefixLetters = 5
	prefixStems   = 3
)

// filler are words frequent in speech whatever the subject, which make
// poor examples; the index holds them as porter stems.
var filler = []string{
	"about", "actual", "actualli", "again", "alwai", "anyth", "becaus", "befor", "being", "could", "didn", "doesn", "everi", "everyth",
	"first", "gonna", "great", "guess", "happen", "littl", "maybe", "mayb", "never", "other", "peopl", "pretti", "probabl", "realli",
	"right", "should", "someth", "start", "still", "stuff", "their", "there", "these", "thing", "think", "those", "though", "today",
	"where", "which", "would", "yeah",
}

// tipsCache keeps the tips for one version of the catalog: reading them
// scans the index's vocabulary.
type tipsCache struct {
	mu   sync.Mutex
	etag string
	tips *views.Tips
}

// tips returns the search tips of the current catalog, or nil when it
// has none (an empty catalog) or they cannot be read now: tips are never
// worth failing a page.
func (s *server) tips(ctx context.Context) *views.Tips {
	st, err := s.version.get(ctx)
	if err != nil {
		return nil
	}
	s.tipCache.mu.Lock()
	defer s.tipCache.mu.Unlock()
	if s.tipCache.etag == st.etag && st.etag != "" {
		return s.tipCache.tips
	}
	totals, err := s.catalog.Totals(ctx)
	if err != nil {
		s.log.Warn("search tips", "err", err)
		return nil
	}
	terms, err := s.catalog.FrequentTerms(ctx, tipCandidates, tipMinLetters, max(1, int(float64(totals.Segments)*tipMaxShare)))
	if err != nil {
		s.log.Warn("search tips", "err", err)
		return nil
	}
	prefixes, err := s.catalog.CommonPrefixes(ctx, 1, prefixLetters, prefixStems)
	if err != nil {
		s.log.Warn("search tips", "err", err)
		return nil
	}
	s.tipCache.etag, s.tipCache.tips = st.etag, tipsModel(terms, prefixes)
	return s.tipCache.tips
}

// tipsModel turns the collection's frequent terms and common prefixes
// into examples, or nil when there are too few.
func tipsModel(terms []catalog.Term, prefixes []catalog.Prefix) *views.Tips {
	var words []string
	for _, t := range terms {
		if !slices.Contains(filler, t.Stem) && !slices.Contains(words, t.Word) {
			words = append(words, t.Word)
		}
	}
	if len(words) < 2 {
		return nil
	}
	words = words[:min(len(words), tipWords)]
	example := func(q string) views.Example {
		return views.Example{Query: q, URL: withQuery("/search", url.Values{"q": {q}})}
	}
	t := &views.Tips{
		Either:  example(words[0] + " OR " + words[1]),
		Without: example(words[0] + " -" + words[1]),
	}
	for _, w := range words {
		t.Words = append(t.Words, example(w))
	}
	if len(prefixes) > 0 {
		t.Prefix = example(prefixes[0].Prefix + "*")
		t.PrefixWords = prefixes[0].Words
	}
	return t
}
