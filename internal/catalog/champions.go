package catalog

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Champion lists (migration 0009): for every term, block by block of
// segment ids, the best few segments by the term's BM25 weight. A word
// in millions of segments is then ranked from a few thousand candidates
// (best.go) instead of by scoring its every match, which is what FTS5's
// ORDER BY rank does (18 s for "the" at 10M segments).
//
// Why the union of the blocks' lists holds the global best: every segment
// holding a term shares its IDF, so one term's order is the order of its
// weight in each segment, tf·(k1+1)/(tf+k1·(1−b+b·dl/avgdl)), which
// depends on the segment alone (and avgdl). The global best n ≤ per_block
// of a term are each among the best per_block of their own block. Ties go
// to the newer segment, as search breaks them.
//
// The weights are compared with the average length FTS5 records when the
// block is written; a later import moves the average a little, and with
// it, for segments whose length and count differ, which of two is better:
// each entry keeps its count and length, so query time reweighs the
// entries with today's average, but a block's choice of entries is that
// of its writing. Blocks are as long as block_size (262,144 ids: 4 blocks
// at 1M segments, 39 at 10M) and lists per_block (32) long.

// k1 and b are the BM25 constants of FTS5's bm25().
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// championState is the row of champion_state.
type championState struct {
	blockSize, perBlock, through int64
}

func readChampionState(ctx context.Context, q querier) (championState, error) {
	var s championState
	err := q.QueryRowContext(ctx, `SELECT block_size, per_block, through_id FROM champion_state WHERE id = 1`).
		Scan(&s.blockSize, &s.perBlock, &s.through)
	return s, err
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// champion is one entry of a list.
type champion struct {
	id     int64
	tf, dl int
	weight float64
}

// better orders entries best first: the higher weight, then the newer.
func better(a, b champion) int {
	if c := cmp.Compare(b.weight, a.weight); c != 0 {
		return c
	}
	return cmp.Compare(b.id, a.id)
}

// weight is a term's BM25 weight, without its IDF, in a segment of dl
// terms holding it tf times.
func weight(tf, dl int, avgdl float64) float64 {
	f := float64(tf)
	return f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*float64(dl)/avgdl))
}

// termList is a term's list for the block being written: its number of
// segments and its best entries, a heap with the worst at the root once
// full.
type termList struct {
	docs int64
	best []champion
}

func (l *termList) add(c champion, k int) {
	l.docs++
	if len(l.best) < k {
		l.best = append(l.best, c)
		if len(l.best) == k {
			heapify(l.best)
		}
		return
	}
	if better(c, l.best[0]) < 0 {
		l.best[0] = c
		siftDown(l.best, 0)
	}
}

// heapify and siftDown keep the worst entry (by better) at the root.
func heapify(h []champion) {
	for i := len(h)/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
}

func siftDown(h []champion, i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && better(h[l], h[worst]) > 0 {
			worst = l
		}
		if r < len(h) && better(h[r], h[worst]) > 0 {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}

// encodeList is a list's best column: its entries best first, each as
// uvarints of the id less the block's first, the count and the length.
func encodeList(best []champion, first int64) []byte {
	b := make([]byte, 0, len(best)*6)
	for _, c := range best {
		b = binary.AppendUvarint(b, uint64(c.id-first))
		b = binary.AppendUvarint(b, uint64(c.tf))
		b = binary.AppendUvarint(b, uint64(c.dl))
	}
	return b
}

// decodeList reads a best column, weighing the entries with avgdl.
func decodeList(b []byte, first int64, avgdl float64, into []champion) ([]champion, error) {
	for len(b) > 0 {
		var v [3]uint64
		for i := range v {
			x, n := binary.Uvarint(b)
			if n <= 0 {
				return into, errors.New("champion list: bad varint")
			}
			v[i], b = x, b[n:]
		}
		c := champion{id: first + int64(v[0]), tf: int(v[1]), dl: int(v[2])}
		c.weight = weight(c.tf, c.dl, avgdl)
		into = append(into, c)
	}
	return into, nil
}

// ftsTotals returns what FTS5's bm25() divides by: the number of indexed
// segments and their total length in terms, from the index's averages
// record (segments_fts_data id 1: varints of the row count, then of each
// column's total).
func ftsTotals(ctx context.Context, q querier) (rows, tokens int64, err error) {
	var rec []byte
	err = q.QueryRowContext(ctx, `SELECT block FROM segments_fts_data WHERE id = 1`).Scan(&rec)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	r, n := ftsVarint(rec)
	if n == 0 {
		return 0, 0, nil
	}
	t, m := ftsVarint(rec[n:])
	if m == 0 {
		return 0, 0, errors.New("fts5 averages record: bad varint")
	}
	return int64(r), int64(t), nil
}

// ftsVarint decodes SQLite's variable-length integer (big-endian groups of
// seven bits, the ninth byte whole), returning it and its length, 0 when
// b is too short.
func ftsVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9 && i < len(b); i++ {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// avgLength is the average segment length in terms bm25() uses.
func avgLength(rows, tokens int64) float64 {
	if rows == 0 || tokens == 0 {
		return 1
	}
	return float64(tokens) / float64(rows)
}

// newChampionWriter starts adding to the lists every segment with an id
// above the lists' through_id: an import's new segments (and, once, every
// segment of a database from before migration 0009, or written since by
// another tool). Segments are then added in id order (add), and finish
// writes the last block's lists. It keeps the lists of one block in
// memory at a time, merged with the block's stored rows when an earlier
// import wrote part of it. before is the largest id before the import:
// ids above it are new even when through_id is higher (the segments that
// had them were deleted). A writer with nothing to add writes nothing.
func newChampionWriter(ctx context.Context, tx *sql.Tx, before, last int64) (*championWriter, error) {
	st, err := readChampionState(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("champions: %w", err)
	}
	from := min(st.through, before)
	w := &championWriter{tx: tx, st: st, from: from, last: last, tok: newTokenizer(), lists: map[string]*termList{}, block: -1}
	if last <= from {
		return w, nil
	}
	nrows, ntokens, err := ftsTotals(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("champions: %w", err)
	}
	if nrows == 0 {
		// FTS5 writes its totals at commit: a first import weighs by the
		// length of its own first segments.
		if w.avgdl, err = sampleLength(ctx, tx, from, w.tok); err != nil {
			return nil, fmt.Errorf("champions: %w", err)
		}
	} else {
		w.avgdl = avgLength(nrows, ntokens)
	}
	if w.put, err = tx.PrepareContext(ctx, `INSERT OR REPLACE INTO segment_champions (term, block, docs, best) VALUES (?, ?, ?, ?)`); err != nil {
		return nil, fmt.Errorf("champions: %w", err)
	}
	return w, nil
}

// finish writes the lists in memory and the id they now run through.
func (w *championWriter) finish(ctx context.Context) error {
	if w.last <= w.from {
		return nil
	}
	defer w.put.Close()
	if err := w.flush(ctx); err != nil {
		return fmt.Errorf("champions: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE champion_state SET through_id = ? WHERE id = 1`, w.last); err != nil {
		return fmt.Errorf("champions: %w", err)
	}
	return nil
}

// sampleLength is the average length in terms of the first thousand
// segments after id.
func sampleLength(ctx context.Context, tx *sql.Tx, after int64, tok *tokenizer) (float64, error) {
	rs, err := tx.QueryContext(ctx, `SELECT text FROM segments WHERE id > ? ORDER BY id LIMIT 1000`, after)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	var n, terms int64
	for rs.Next() {
		var text string
		if err := rs.Scan(&text); err != nil {
			return 0, err
		}
		n++
		tok.each(text, func(string, int, int) { terms++ })
	}
	if err := rs.Err(); err != nil {
		return 0, err
	}
	return avgLength(n, terms), nil
}

// championWriter builds one block's lists at a time.
type championWriter struct {
	tx         *sql.Tx
	put        *sql.Stmt
	st         championState
	from, last int64 // the ids it adds: from+1 to last
	avgdl      float64
	tok        *tokenizer
	block      int64 // the block whose lists are in memory, -1 before the first
	lists      map[string]*termList
	tf         map[string]int // of the segment being added
}

// add weighs one segment's terms into its block's lists; segments come
// in id order.
func (w *championWriter) add(ctx context.Context, id int64, text string) error {
	if b := id / w.st.blockSize; b != w.block {
		if err := w.flush(ctx); err != nil {
			return err
		}
		if err := w.load(ctx, b); err != nil {
			return err
		}
	}
	if w.tf == nil {
		w.tf = map[string]int{}
	}
	clear(w.tf)
	dl := 0
	w.tok.each(text, func(term string, _, _ int) {
		w.tf[term]++
		dl++
	})
	k := int(w.st.perBlock)
	for term, tf := range w.tf {
		l := w.lists[term]
		if l == nil {
			l = &termList{}
			w.lists[term] = l
		}
		l.add(champion{id: id, tf: tf, dl: dl, weight: weight(tf, dl, w.avgdl)}, k)
	}
	return nil
}

// load starts block b's lists from its stored rows, if any.
func (w *championWriter) load(ctx context.Context, b int64) error {
	w.block = b
	clear(w.lists)
	if b*w.st.blockSize > w.st.through {
		return nil // begun by this import
	}
	rs, err := w.tx.QueryContext(ctx, `SELECT term, docs, best FROM segment_champions WHERE block = ?`, b)
	if err != nil {
		return err
	}
	defer rs.Close()
	k := int(w.st.perBlock)
	for rs.Next() {
		var term string
		var best []byte
		l := &termList{}
		if err := rs.Scan(&term, &l.docs, &best); err != nil {
			return err
		}
		if l.best, err = decodeList(best, b*w.st.blockSize, w.avgdl, make([]champion, 0, k)); err != nil {
			return err
		}
		if len(l.best) == k {
			heapify(l.best)
		}
		w.lists[term] = l
	}
	return rs.Err()
}

// flush writes the lists of the block in memory.
func (w *championWriter) flush(ctx context.Context) error {
	if w.block < 0 {
		return nil
	}
	first := w.block * w.st.blockSize
	for term, l := range w.lists {
		slices.SortFunc(l.best, better)
		if _, err := w.put.ExecContext(ctx, term, w.block, l.docs, encodeList(l.best, first)); err != nil {
			return err
		}
	}
	clear(w.lists)
	return nil
}

// forgetChampions takes a video's segments out of the lists before they
// are deleted: each of their terms counts them no more, and an entry that
// was one of them leaves its list. The list is then one short until an
// import adds to its block: the block's next best is not known (search
// reads the lists as they are; see best.go).
func forgetChampions(ctx context.Context, tx *sql.Tx, videoID string) error {
	st, err := readChampionState(ctx, tx)
	if err != nil {
		return fmt.Errorf("champions: %w", err)
	}
	rs, err := tx.QueryContext(ctx, `SELECT id, text FROM segments WHERE video_id = ? AND id <= ?`, videoID, st.through)
	if err != nil {
		return fmt.Errorf("champions: %w", err)
	}
	type key struct {
		term  string
		block int64
	}
	gone := map[key][]int64{}
	tok := newTokenizer()
	seen := map[string]bool{}
	for rs.Next() {
		var id int64
		var text string
		if err := rs.Scan(&id, &text); err != nil {
			rs.Close()
			return fmt.Errorf("champions: %w", err)
		}
		clear(seen)
		tok.each(text, func(term string, _, _ int) {
			if !seen[term] {
				seen[term] = true
				k := key{term, id / st.blockSize}
				gone[k] = append(gone[k], id)
			}
		})
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return fmt.Errorf("champions: %w", err)
	}
	for k, ids := range gone {
		var docs int64
		var best []byte
		err := tx.QueryRowContext(ctx, `SELECT docs, best FROM segment_champions WHERE term = ? AND block = ?`, k.term, k.block).Scan(&docs, &best)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("champions: %w", err)
		}
		first := k.block * st.blockSize
		list, err := decodeList(best, first, 1, nil)
		if err != nil {
			return fmt.Errorf("champions: %w", err)
		}
		list = slices.DeleteFunc(list, func(c champion) bool { return slices.Contains(ids, c.id) })
		if docs -= int64(len(ids)); docs <= 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM segment_champions WHERE term = ? AND block = ?`, k.term, k.block)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE segment_champions SET docs = ?, best = ? WHERE term = ? AND block = ?`,
				docs, encodeList(list, first), k.term, k.block)
		}
		if err != nil {
			return fmt.Errorf("champions: %w", err)
		}
	}
	return nil
}
