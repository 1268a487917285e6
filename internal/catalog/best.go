package catalog

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/transcripts/site/internal/search"
)

// Best implements search.Index from the champion lists (champions.go), for
// queries of words and phrases, NEAR groups included (a prefix reports
// search.ErrNoBest, as does a database whose lists do not cover every
// segment yet). The candidates are the entries of the lists of the
// query's words; each is scored in Go by FTS5's bm25() over its text as
// stored now, with FTS5's own row count and average length and the lists'
// document counts, so a deleted segment is left out and a changed one
// scored as it reads. For a query of one word the order is exact for the
// first per_block matches (the lists hold them) and the score equals
// FTS5's rank; beyond per_block, and for several words, the best
// candidates are nearly the best matches. A phrase's document frequency,
// which FTS5 counts by matching it everywhere, is taken as that of its
// rarest word: its weight beside other words is a little low, its order
// alone is exact. Within f.Videos every match of those videos is scored.
func (x *Index) Best(ctx context.Context, q search.Query, f search.Filter, limit int) ([]search.Scored, error) {
	if f.Narrowed() || f.Repeat != 0 || q.Browse() {
		// The lists know nothing of speakers, channels, dates or reads:
		// such a search is ranked the usual way (it is narrow anyway).
		return nil, search.ErrNoBest
	}
	out, err := x.best(ctx, q, f, limit)
	if err != nil || len(out) == 0 {
		return out, err
	}
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return nil, x.fail("best", err)
	}
	for i := range out {
		out[i].Repeat = runs.repeats[out[i].Segment]
	}
	return out, nil
}

// best is Best for the searches the lists serve.
func (x *Index) best(ctx context.Context, q search.Query, f search.Filter, limit int) ([]search.Scored, error) {
	tok := newTokenizer()
	bq, ok := bestQuery(q, tok)
	if !ok {
		return nil, search.ErrNoBest
	}
	st, err := readChampionState(ctx, x.c.db)
	if err != nil {
		return nil, x.fail("best", err)
	}
	var last int64
	if err := x.queryRow(ctx, `SELECT coalesce(max(id), 0) FROM segments`, nil, &last); err != nil {
		return nil, x.fail("best", err)
	}
	if last > st.through {
		return nil, search.ErrNoBest
	}
	if limit <= 0 {
		return nil, nil
	}
	nrows, ntokens, err := ftsTotals(ctx, x.c.db)
	if err != nil {
		return nil, x.fail("best", err)
	}
	avgdl := avgLength(nrows, ntokens)
	lists, docs, err := x.championLists(ctx, bq.words(), st, avgdl)
	if err != nil {
		return nil, x.fail("best", err)
	}
	bq.weigh(nrows, docs)

	if len(f.Videos) > 0 {
		segs, err := x.matchesIn(ctx, q, f.Videos)
		if err != nil {
			return nil, x.fail("best", err)
		}
		return bq.rank(segs, tok, avgdl, limit), nil
	}
	if bq.single() {
		// One word: the lists hold each entry's count and length, so
		// only the best need reading, to leave out what was deleted and
		// rescore what changed.
		cands := lists[bq.terms[0].words[0]]
		for i := range cands {
			cands[i].weight *= bq.terms[0].idf
		}
		slices.SortFunc(cands, better)
		var out []search.Scored
		for len(out) < limit && len(cands) > 0 {
			n := min(len(cands), limit-len(out)+8)
			segs, err := x.Segments(ctx, ids(cands[:n]))
			if err != nil {
				return nil, x.fail("best", err)
			}
			out = append(out, bq.rank(segs, tok, avgdl, n)...)
			cands = cands[n:]
		}
		slices.SortFunc(out, byScore)
		return out[:min(len(out), limit)], nil
	}
	cands := candidates(lists, bq, maxCandidates)
	var out []search.Scored
	for batch := range slices.Chunk(cands, 500) {
		segs, err := x.Segments(ctx, batch)
		if err != nil {
			return nil, x.fail("best", err)
		}
		out = append(out, bq.rank(segs, tok, avgdl, len(segs))...)
	}
	slices.SortFunc(out, byScore)
	return out[:min(len(out), limit)], nil
}

// maxCandidates bounds the segments read for a query of several words
// (32 per block per word: 39 blocks at 10M segments give 1,248 a word).
const maxCandidates = 5000

// byScore orders scored segments best first, the newest first among
// equals, as search does.
func byScore(a, b search.Scored) int {
	if c := cmp.Compare(a.Score, b.Score); c != 0 {
		return c
	}
	return cmp.Compare(b.Segment, a.Segment)
}

func ids(cs []champion) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.id
	}
	return out
}

// championLists reads the lists of words, each entry weighed with avgdl,
// and each word's number of segments.
func (x *Index) championLists(ctx context.Context, words []string, st championState, avgdl float64) (map[string][]champion, map[string]int64, error) {
	lists := map[string][]champion{}
	docs := map[string]int64{}
	for _, w := range words {
		if _, done := docs[w]; done {
			continue
		}
		rows, err := x.query(ctx, `SELECT block, docs, best FROM segment_champions WHERE term = ?`, w)
		if err != nil {
			return nil, nil, err
		}
		var list []champion
		var n int64
		for rows.Next() {
			var block, d int64
			var best []byte
			if err := rows.Scan(&block, &d, &best); err != nil {
				rows.Close()
				return nil, nil, err
			}
			n += d
			if list, err = decodeList(best, block*st.blockSize, avgdl, list); err != nil {
				rows.Close()
				return nil, nil, err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
		lists[w], docs[w] = list, n
	}
	return lists, docs, nil
}

// candidates returns the ids of the lists' entries for the words of bq,
// at most max of them: those whose known weights add up to the most.
func candidates(lists map[string][]champion, bq bestQ, max int) []int64 {
	sum := map[int64]float64{}
	for _, t := range bq.terms {
		if t.excluded {
			continue
		}
		for _, w := range t.words {
			for _, c := range lists[w] {
				sum[c.id] += c.weight * t.idf
			}
		}
	}
	out := make([]int64, 0, len(sum))
	for id := range sum {
		out = append(out, id)
	}
	if len(out) > max {
		slices.SortFunc(out, func(a, b int64) int {
			if c := cmp.Compare(sum[b], sum[a]); c != 0 {
				return c
			}
			return cmp.Compare(b, a)
		})
		out = out[:max]
	}
	return out
}

// matchesIn returns every segment of videos matching q, read within the
// videos' runs of ids.
func (x *Index) matchesIn(ctx context.Context, q search.Query, videos []string) ([]search.Segment, error) {
	rows, err := x.query(ctx, `
		SELECT s.id, s.video_id, s.text
		FROM segment_ranges r
			CROSS JOIN segments_fts ON segments_fts.rowid BETWEEN r.first_id AND r.last_id
			CROSS JOIN segments s ON s.id = segments_fts.rowid
		WHERE r.video_id IN (SELECT value FROM json_each(?1)) AND segments_fts MATCH ?2 AND s.video_id = r.video_id`,
		jsonStrings(videos), MatchExpr(q))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var segs []search.Segment
	for rows.Next() {
		var s search.Segment
		if err := rows.Scan(&s.ID, &s.VideoID, &s.Text); err != nil {
			return nil, err
		}
		segs = append(segs, s)
	}
	return segs, rows.Err()
}

// bestQ is a query as bm25() reads it: its phrases in the order of the
// MATCH expression (MatchExpr), each a list of terms, and which must match.
type bestQ struct {
	near   int // the terms within near terms of each other (NEAR), when above 0
	terms  []bestTerm
	groups [][]int // indexes into terms: every group needs one of its own
}

type bestTerm struct {
	words    []string // its terms (stems), a phrase when more than one
	excluded bool
	idf      float64
}

// bestQuery tokenizes q's terms as FTS5 does, reporting false for what
// Best does not answer: a prefix, a term without any word.
func bestQuery(q search.Query, tok *tokenizer) (bestQ, bool) {
	bq := bestQ{near: q.Near}
	if q.HasPrefix() {
		return bq, false
	}
	term := func(t search.Term, excluded bool) bool {
		bt := bestTerm{excluded: excluded}
		for _, w := range t.Words {
			tok.each(w, func(s string, _, _ int) { bt.words = append(bt.words, s) })
		}
		bq.terms = append(bq.terms, bt)
		return len(bt.words) > 0
	}
	for _, g := range q.Groups {
		var group []int
		for _, t := range g {
			group = append(group, len(bq.terms))
			if !term(t, false) {
				return bq, false
			}
		}
		bq.groups = append(bq.groups, group)
	}
	for _, t := range q.Excluded {
		if !term(t, true) {
			return bq, false
		}
	}
	return bq, len(bq.groups) > 0
}

// single reports whether bq is one word.
func (bq bestQ) single() bool {
	return len(bq.terms) == 1 && len(bq.terms[0].words) == 1
}

// words returns the words of bq's terms that are looked for.
func (bq bestQ) words() []string {
	var ws []string
	for _, t := range bq.terms {
		if !t.excluded {
			ws = append(ws, t.words...)
		}
	}
	return ws
}

// weigh sets each term's IDF as bm25() computes it, from nrows segments
// and the number of segments holding each word (a phrase: its rarest
// word's).
func (bq bestQ) weigh(nrows int64, docs map[string]int64) {
	for i := range bq.terms {
		t := &bq.terms[i]
		hits := int64(math.MaxInt64)
		for _, w := range t.words {
			hits = min(hits, docs[w])
		}
		idf := math.Log((float64(nrows) - float64(hits) + 0.5) / (float64(hits) + 0.5))
		if idf <= 0 {
			idf = 1e-6
		}
		t.idf = idf
	}
}

// rank scores those of segs that match bq, returning the best limit.
func (bq bestQ) rank(segs []search.Segment, tok *tokenizer, avgdl float64, limit int) []search.Scored {
	var out []search.Scored
	var terms []string
	var spans [][2]int                 // of each term in the text
	at := make([][]int, len(bq.terms)) // where each term starts
	for _, s := range segs {
		terms, spans = terms[:0], spans[:0]
		tok.each(s.Text, func(t string, start, end int) {
			terms = append(terms, t)
			spans = append(spans, [2]int{start, end})
		})
		for i, t := range bq.terms {
			at[i] = occurrences(terms, t.words, at[i][:0])
		}
		if !bq.matches(at) {
			continue
		}
		// bm25(), term by term in the order FTS5 adds them.
		score := 0.0
		d := float64(len(terms))
		for i, t := range bq.terms {
			f := float64(len(at[i]))
			score += t.idf * ((f * (bm25K1 + 1)) / (f + bm25K1*(1-bm25B+bm25B*d/avgdl)))
		}
		out = append(out, search.Scored{Segment: s.ID, Video: s.VideoID, Score: -1 * score,
			Marked: bq.mark(s.Text, spans, at)})
	}
	slices.SortFunc(out, byScore)
	return out[:min(len(out), limit)]
}

// mark returns text with the places of bq's terms marked, as FTS5's
// highlight() marks them: each place from its first word to its last,
// overlapping places as one.
func (bq bestQ) mark(text string, spans [][2]int, at [][]int) string {
	var places [][2]int // in terms
	for i, t := range bq.terms {
		if t.excluded {
			continue
		}
		for _, s := range at[i] {
			places = append(places, [2]int{s, s + len(t.words) - 1})
		}
	}
	slices.SortFunc(places, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	var b strings.Builder
	b.Grow(len(text) + 4*len(places))
	done := 0 // bytes of text written
	for i := 0; i < len(places); {
		first, last := places[i][0], places[i][1]
		for i++; i < len(places) && places[i][0] <= last; i++ {
			last = max(last, places[i][1])
		}
		b.WriteString(text[done:spans[first][0]])
		b.WriteString(search.MarkStart)
		b.WriteString(text[spans[first][0]:spans[last][1]])
		b.WriteString(search.MarkEnd)
		done = spans[last][1]
	}
	b.WriteString(text[done:])
	return b.String()
}

// matches reports whether a segment whose terms start at the places at
// satisfies bq.
func (bq bestQ) matches(at [][]int) bool {
	for i, t := range bq.terms {
		if t.excluded && len(at[i]) > 0 {
			return false
		}
	}
	for _, g := range bq.groups {
		if !slices.ContainsFunc(g, func(i int) bool { return len(at[i]) > 0 }) {
			return false
		}
	}
	return bq.near == 0 || bq.together(at)
}

// together reports whether one place of each looked-for term can be
// chosen so that at most bq.near terms stand between the end of the first
// and the start of the last, FTS5's NEAR.
func (bq bestQ) together(at [][]int) bool {
	type place struct{ start, end, term int }
	var ps []place
	n := 0
	for i, t := range bq.terms {
		if t.excluded {
			continue
		}
		n++
		for _, s := range at[i] {
			ps = append(ps, place{s, s + len(t.words), i})
		}
	}
	slices.SortFunc(ps, func(a, b place) int { return cmp.Compare(a.start, b.start) })
	// The shortest windows holding every term, by two pointers.
	have := map[int]int{}
	l := 0
	for r := range ps {
		have[ps[r].term]++
		for len(have) == n {
			if ps[r].start-ps[l].end <= bq.near {
				return true
			}
			if have[ps[l].term]--; have[ps[l].term] == 0 {
				delete(have, ps[l].term)
			}
			l++
		}
	}
	return false
}

// occurrences appends to into the places where phrase starts in terms.
func occurrences(terms, phrase []string, into []int) []int {
	for i := 0; i+len(phrase) <= len(terms); i++ {
		if terms[i] == phrase[0] && slices.Equal(terms[i+1:i+len(phrase)], phrase[1:]) {
			into = append(into, i)
		}
	}
	return into
}
