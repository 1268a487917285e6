package catalog

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Repeated text: sponsor reads, intros and outros said nearly word for
// word in many videos. Each segment's words are cut into overlapping
// shingles of shingleWords words; one in shingleSample of them, chosen by
// hash so every copy of a text keeps the same ones, is stored with its
// video. A shingle stored in repeatVideos videos or more is repeated, and
// a segment at least repeatShare of whose stored shingles are repeated is
// repeated text.
//
// The thresholds come from the relevance fixture (internal/relevance: 54
// episodes, six sponsor reads with their hosts, codes and addresses
// varied, intros and outros, conversation that names the sponsors and
// repeats stock phrases; RELEVANCE.md has the figures). Shingles of 6
// words marked conversation's stock phrases too (precision 0.20); of 8,
// 0.95 at recall 0.87; of 10, 0.97 at 0.90 (with 60 % of a segment's
// shingles): long enough that conversation rarely repeats one across
// three videos, short enough that a read with a changed offer code keeps
// most of its shingles. Four videos instead of three lost a fifth of the
// reads (recall 0.70). Half a segment's shingles (precision 0.90, recall
// 0.96) also marks the segments where a read begins or ends, which at
// 60 % stayed content and kept 11 % of the first hits for words reads
// share with conversation (5 % at half, 4 % at 40 %, where precision
// falls to 0.81).
const (
	shingleWords  = 10
	shingleSample = 8
	repeatVideos  = 3
	repeatShare   = 0.5
	// bulkSegments: an import of more new segments than this, and of a
	// quarter of the collection or more, recomputes every mark in one pass
	// over the shingles; a smaller one, only the segments that share a
	// shingle with it.
	bulkSegments = 5_000
)

// shingles returns the hashes of the stored shingles of text: lowercase
// words of letters and digits, shingleWords at a time, one in
// shingleSample by hash (every one of a short line). A text shorter than a
// shingle is one shingle.
func shingles(text string) []int64 {
	var s shingler
	return s.shingles(text)
}

// shingler computes shingles with buffers kept from call to call: what
// it returns is valid until its next call.
type shingler struct {
	words   []uint64 // each word's hash
	windows []int64  // each window's hash
	out     []int64
}

// shingles is the package function shingles, on s's buffers. Each word is
// hashed once and the window's hash rolls over them, so a segment costs
// about as much as reading its words.
func (s *shingler) shingles(text string) []int64 {
	s.words = wordHashes(s.words[:0], text)
	hw := s.words
	if len(hw) == 0 {
		return nil
	}
	k := min(shingleWords, len(hw))
	// Polynomial rolling hash: sum of hw[i] * rollBase^(k-1-(i-start)).
	var top uint64 = 1 // rollBase^(k-1)
	for range k - 1 {
		top *= rollBase
	}
	var roll uint64
	for i := range k {
		roll = roll*rollBase + hw[i]
	}
	ws, out := s.windows[:0], s.out[:0]
	for i := 0; ; i++ {
		v := int64(mix(roll) >> 1)
		ws = append(ws, v)
		if v%shingleSample == 0 && !slices.Contains(out, v) {
			out = append(out, v)
		}
		if i+k >= len(hw) {
			break
		}
		roll = (roll-hw[i]*top)*rollBase + hw[i+k]
	}
	s.windows, s.out = ws, out
	// A short line keeps every shingle: a sample of a few would often be
	// none, and its copies keep the same ones.
	if len(out) < minKept {
		slices.Sort(ws)
		return slices.Compact(ws)
	}
	return out
}

// minKept is how many sampled shingles a line needs for the sample to
// stand for it; a shorter line keeps all of its shingles.
const minKept = 4

// wordHashes appends to hw the FNV-1a hash of each word of text,
// lowercased: a word is a run of letters and digits. One pass over the
// bytes.
func wordHashes(hw []uint64, text string) []uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h, in := uint64(offset), false
	end := func() {
		if in {
			hw = append(hw, h)
		}
		h, in = offset, false
	}
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				end()
				continue
			}
			h = (h ^ uint64(c)) * prime
			in = true
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			end()
			continue
		}
		for _, b := range buf[:utf8.EncodeRune(buf[:], unicode.ToLower(r))] {
			h = (h ^ uint64(b)) * prime
		}
		in = true
	}
	end()
	return hw
}

// rollBase is the multiplier of the rolling hash (an odd 64-bit constant).
const rollBase = 0x9E3779B97F4A7C15

// mix spreads a rolling hash's bits (splitmix64's finaliser), so the
// sample taken by its low bits is uniform.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// shingleRow is one stored shingle of a segment.
type shingleRow struct {
	hash    int64
	video   int64 // the video's rowid: a few bytes a row, not its 11-character id
	segment int64
}

// rewrite is a stored segment whose text an import changed, with the text
// it had (its stored shingles are those of the old text).
type rewrite struct {
	id  int64
	old string
}

// repeatWriter brings the repeated-text marks up to date inside an
// import's transaction: it stores the shingles of the segments above the
// last shingled id (add, in id order) and of the rewritten ones, then
// marks again the segments that share a shingle with them (finish).
type repeatWriter struct {
	tx         *sql.Tx
	from, last int64 // the ids it adds: from+1 to last
	rewritten  []rewrite
	// bulk: marking everything costs a pass over every shingle, marking
	// around what is new costs in proportion to it.
	bulk    bool
	batch   *shingleBatch  // a bulk import's shingles
	out     []shingleRow   // another's
	touched map[int64]bool // and the hashes they hold
}

// newRepeatWriter starts storing the shingles of the segments above the
// last shingled id, or above before (the largest id before the import)
// when that is lower: the segments that had the ids between were deleted.
func newRepeatWriter(ctx context.Context, tx *sql.Tx, before, last int64, rewritten []rewrite) (*repeatWriter, error) {
	w := &repeatWriter{tx: tx, last: last, touched: map[int64]bool{}}
	if err := tx.QueryRowContext(ctx, `SELECT shingled FROM repeat_state WHERE id = 1`).Scan(&w.from); err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	w.from = min(w.from, before)
	var gone []shingleRow
	for _, r := range rewritten {
		if r.id > w.from {
			continue // never shingled
		}
		w.rewritten = append(w.rewritten, r)
		video, err := videoRowOf(ctx, tx, r.id)
		if err != nil {
			return nil, fmt.Errorf("repeats: %w", err)
		}
		for _, h := range shingles(r.old) {
			gone = append(gone, shingleRow{h, video, r.id})
			w.touched[h] = true
		}
	}
	if err := deleteShingles(ctx, tx, gone); err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	w.bulk = last-w.from > bulkSegments && 4*(last-w.from) > last
	if w.bulk {
		// A bulk import's shingles are gathered unsorted in a temporary
		// table, a row per segment, then written in the table's order in
		// one statement (SQLite sorts them): row by row they would land
		// all over a table larger than the page cache.
		if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS temp.new_shingles;
			CREATE TEMP TABLE new_shingles (segment_id INTEGER, video INTEGER, hashes TEXT)`); err != nil {
			return nil, fmt.Errorf("repeats: %w", err)
		}
		var err error
		if w.batch, err = newShingleBatch(ctx, tx); err != nil {
			return nil, fmt.Errorf("repeats: %w", err)
		}
	}
	return w, nil
}

// add stores the shingles of a segment of video (its rowid).
func (w *repeatWriter) add(ctx context.Context, segment, video int64, hashes []int64) error {
	if w.bulk {
		return w.batch.add(ctx, segment, video, hashes)
	}
	for _, h := range hashes {
		w.out = append(w.out, shingleRow{h, video, segment})
		w.touched[h] = true
	}
	return nil
}

// flush stores what add queued.
func (w *repeatWriter) flush(ctx context.Context) error {
	if w.bulk {
		return w.batch.flush(ctx)
	}
	err := insertShingles(ctx, w.tx, w.out)
	w.out = w.out[:0]
	return err
}

// finish stores the rewritten segments' new shingles and what add
// queued, then marks.
func (w *repeatWriter) finish(ctx context.Context) error {
	if w.bulk {
		// On an error before this, the transaction's rollback drops the
		// temporary table and closes the statement.
		defer w.tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.new_shingles`)
		defer w.batch.close()
	}
	if len(w.rewritten) > 0 {
		ids := make([]int64, len(w.rewritten))
		for i, r := range w.rewritten {
			ids[i] = r.id
		}
		rows, err := w.tx.QueryContext(ctx, `SELECT s.id, v.rowid, s.text FROM segments s JOIN videos v USING (video_id) WHERE s.id IN (SELECT value FROM json_each(?))`, jsonIDs(ids))
		if err != nil {
			return fmt.Errorf("repeats: shingles: %w", err)
		}
		type again struct {
			id, video int64
			hashes    []int64
		}
		var texts []again
		for rows.Next() {
			var a again
			var text string
			if err := rows.Scan(&a.id, &a.video, &text); err != nil {
				rows.Close()
				return fmt.Errorf("repeats: shingles: %w", err)
			}
			a.hashes = shingles(text)
			texts = append(texts, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("repeats: shingles: %w", err)
		}
		for _, a := range texts {
			if err := w.add(ctx, a.id, a.video, a.hashes); err != nil {
				return fmt.Errorf("repeats: shingles: %w", err)
			}
		}
	}
	if err := w.flush(ctx); err != nil {
		return fmt.Errorf("repeats: shingles: %w", err)
	}
	if w.bulk {
		// SQLite's sorter may sort its runs on a second thread (4–7 %
		// of a 1M import, BENCHMARKS.md). The setting is the
		// connection's: it is set back after the copy, and when a failed
		// import leaves it, a later sort on that connection merely may
		// use a second thread.
		if _, err := w.tx.ExecContext(ctx, `PRAGMA threads = 2`); err != nil {
			return fmt.Errorf("repeats: shingles: %w", err)
		}
		defer w.tx.ExecContext(context.WithoutCancel(ctx), `PRAGMA threads = 0`)
		if _, err := w.tx.ExecContext(ctx, `
			INSERT OR IGNORE INTO segment_shingles (hash, video, segment_id)
			SELECT h.value, n.video, n.segment_id FROM temp.new_shingles n, json_each(n.hashes) h
			ORDER BY 1, 2, 3`); err != nil {
			return fmt.Errorf("repeats: shingles: %w", err)
		}
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE repeat_state SET shingled = ? WHERE id = 1`, w.last); err != nil {
		return fmt.Errorf("repeats: %w", err)
	}
	if w.bulk {
		return markAll(ctx, w.tx)
	}
	// A rewritten segment loses its mark first: text rewritten to no
	// words has no shingle that would bring markAround back to it.
	for _, r := range w.rewritten {
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM repeated_segments WHERE segment_id = ?`, r.id); err != nil {
			return fmt.Errorf("repeats: mark: %w", err)
		}
	}
	return markAround(ctx, w.tx, keys(w.touched))
}

// insertRows is how many shingles one INSERT writes: one statement per
// row through the driver costs more than SQLite's work on it.
const insertRows = 300

// insertShingles stores rows in segment_shingles, sorted so the writes
// walk its order.
func insertShingles(ctx context.Context, tx *sql.Tx, rows []shingleRow) error {
	slices.SortFunc(rows, func(a, b shingleRow) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		if c := cmp.Compare(a.video, b.video); c != 0 {
			return c
		}
		return cmp.Compare(a.segment, b.segment)
	})
	full, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO segment_shingles (hash, video, segment_id) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", insertRows), ", "))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, 3*insertRows)
	for len(rows) >= insertRows {
		args = args[:0]
		for _, r := range rows[:insertRows] {
			args = append(args, r.hash, r.video, r.segment)
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return err
		}
		rows = rows[insertRows:]
	}
	for _, r := range rows {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO segment_shingles (hash, video, segment_id) VALUES (?, ?, ?)`, r.hash, r.video, r.segment); err != nil {
			return err
		}
	}
	return nil
}

// batchSegments is how many segments' shingles one INSERT into the
// temporary table of a bulk import writes.
const batchSegments = 500

// shingleBatch writes a bulk import's shingles to temp.new_shingles, a
// row per segment holding its hashes as a JSON array: a tenth of the rows
// and arguments a row per shingle takes.
type shingleBatch struct {
	tx   *sql.Tx
	full *sql.Stmt
	args []any
}

func newShingleBatch(ctx context.Context, tx *sql.Tx) (*shingleBatch, error) {
	full, err := tx.PrepareContext(ctx, `INSERT INTO temp.new_shingles (segment_id, video, hashes) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", batchSegments), ", "))
	if err != nil {
		return nil, err
	}
	return &shingleBatch{tx: tx, full: full, args: make([]any, 0, 3*batchSegments)}, nil
}

// add queues a segment's shingles, writing a full batch.
func (b *shingleBatch) add(ctx context.Context, segment, video int64, hashes []int64) error {
	if len(hashes) == 0 {
		return nil
	}
	b.args = append(b.args, segment, video, jsonIDs(hashes))
	if len(b.args) == cap(b.args) {
		if _, err := b.full.ExecContext(ctx, b.args...); err != nil {
			return err
		}
		b.args = b.args[:0]
	}
	return nil
}

// flush writes what is queued.
func (b *shingleBatch) flush(ctx context.Context) error {
	for i := 0; i < len(b.args); i += 3 {
		if _, err := b.tx.ExecContext(ctx, `INSERT INTO temp.new_shingles (segment_id, video, hashes) VALUES (?, ?, ?)`, b.args[i:i+3]...); err != nil {
			return err
		}
	}
	b.args = b.args[:0]
	return nil
}

func (b *shingleBatch) close() { b.full.Close() }

// deleteShingles removes rows by their key.
func deleteShingles(ctx context.Context, tx *sql.Tx, rows []shingleRow) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `DELETE FROM segment_shingles WHERE hash = ? AND video = ? AND segment_id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r.hash, r.video, r.segment); err != nil {
			return err
		}
	}
	return nil
}

// videoRowOf returns the rowid of a segment's video.
func videoRowOf(ctx context.Context, tx *sql.Tx, segment int64) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `SELECT v.rowid FROM segments s JOIN videos v USING (video_id) WHERE s.id = ?`, segment).Scan(&v)
	return v, err
}

// forgetRepeats removes the shingles of a video about to be deleted (its
// segments' texts say which) and returns the hashes they held, whose
// segments must be marked again.
func forgetRepeats(ctx context.Context, tx *sql.Tx, videoID string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, v.rowid, s.text FROM segments s JOIN videos v USING (video_id) WHERE s.video_id = ?`, videoID)
	if err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	var gone []shingleRow
	var hashes []int64
	for rows.Next() {
		var id, video int64
		var text string
		if err := rows.Scan(&id, &video, &text); err != nil {
			rows.Close()
			return nil, fmt.Errorf("repeats: %w", err)
		}
		for _, h := range shingles(text) {
			gone = append(gone, shingleRow{h, video, id})
			hashes = append(hashes, h)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	if err := deleteShingles(ctx, tx, gone); err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		DELETE FROM repeated_segments WHERE segment_id IN (SELECT id FROM segments WHERE video_id = ?)`, videoID); err != nil {
		return nil, fmt.Errorf("repeats: %w", err)
	}
	return hashes, nil
}

// markAll marks every segment again: SQLite finds the repeated shingles
// in one pass over the table's order (by hash, then video), and only
// their rows come back.
func markAll(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS temp.repeated_shingles`); err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		CREATE TEMP TABLE repeated_shingles AS
		SELECT hash FROM segment_shingles GROUP BY hash HAVING count(DISTINCT video) >= ?`, repeatVideos); err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	defer tx.ExecContext(ctx, `DROP TABLE IF EXISTS temp.repeated_shingles`)
	rows, err := tx.QueryContext(ctx, `
		SELECT x.segment_id, x.hash FROM temp.repeated_shingles r CROSS JOIN segment_shingles x ON x.hash = r.hash`)
	if err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	hot := map[int64][]int64{} // segment → its repeated shingles
	for rows.Next() {
		var seg, h int64
		if err := rows.Scan(&seg, &h); err != nil {
			rows.Close()
			return fmt.Errorf("repeats: mark: %w", err)
		}
		hot[seg] = append(hot[seg], h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM repeated_segments`); err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	kept, err := keptShingles(ctx, tx, keys64(hot))
	if err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	return writeMarks(ctx, tx, hot, kept, keys64(hot))
}

// keptShingles returns each segment's stored shingles, from its text.
func keptShingles(ctx context.Context, tx *sql.Tx, segments []int64) (map[int64][]int64, error) {
	out := make(map[int64][]int64, len(segments))
	for batch := range slices.Chunk(segments, 5000) {
		rows, err := tx.QueryContext(ctx, `SELECT id, text FROM segments WHERE id IN (SELECT value FROM json_each(?))`, jsonIDs(batch))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var text string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = shingles(text)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// markAround marks again the segments holding any of hashes. Each
// shingle's videos are counted once, however many segments hold it.
func markAround(ctx context.Context, tx *sql.Tx, hashes []int64) error {
	if len(hashes) == 0 {
		return nil
	}
	var segments []int64
	for batch := range slices.Chunk(hashes, 5000) {
		ids, err := queryHashes(ctx, tx, `SELECT DISTINCT segment_id FROM segment_shingles WHERE hash IN (SELECT value FROM json_each(?))`, jsonIDs(batch))
		if err != nil {
			return fmt.Errorf("repeats: mark: %w", err)
		}
		segments = append(segments, ids...)
	}
	slices.Sort(segments)
	segments = slices.Compact(segments)
	// Every shingle of those segments, and which of them are repeated.
	held, err := keptShingles(ctx, tx, segments)
	if err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	var all []int64
	for _, hs := range held {
		all = append(all, hs...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	repeated := map[int64]bool{}
	for batch := range slices.Chunk(all, 5000) {
		hs, err := queryHashes(ctx, tx, `
			SELECT hash FROM segment_shingles WHERE hash IN (SELECT value FROM json_each(?1))
			GROUP BY hash HAVING count(DISTINCT video) >= ?2`, jsonIDs(batch), repeatVideos)
		if err != nil {
			return fmt.Errorf("repeats: mark: %w", err)
		}
		for _, h := range hs {
			repeated[h] = true
		}
	}
	hot := map[int64][]int64{}
	for seg, hs := range held {
		for _, h := range hs {
			if repeated[h] {
				hot[seg] = append(hot[seg], h)
			}
		}
	}
	for batch := range slices.Chunk(segments, 5000) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM repeated_segments WHERE segment_id IN (SELECT value FROM json_each(?))`, jsonIDs(batch)); err != nil {
			return fmt.Errorf("repeats: mark: %w", err)
		}
	}
	return writeMarks(ctx, tx, hot, held, keys64(hot))
}

// writeMarks stores as repeated text those of segments at least
// repeatShare of whose kept shingles are in hot, each in the cluster of
// its smallest repeated shingle, unless an operator said that cluster is
// content.
func writeMarks(ctx context.Context, tx *sql.Tx, hot, kept map[int64][]int64, segments []int64) error {
	insert, err := tx.PrepareContext(ctx, `
		INSERT OR REPLACE INTO repeated_segments (segment_id, cluster)
		SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM repeat_verdicts WHERE cluster = ?2 AND verdict = 'content')`)
	if err != nil {
		return fmt.Errorf("repeats: mark: %w", err)
	}
	defer insert.Close()
	for _, seg := range segments {
		hs := hot[seg]
		if len(hs) == 0 || float64(len(hs)) < repeatShare*float64(len(kept[seg])) {
			continue
		}
		if _, err := insert.ExecContext(ctx, seg, slices.Min(hs)); err != nil {
			return fmt.Errorf("repeats: mark: %w", err)
		}
	}
	return nil
}

// queryHashes runs a query of one integer column.
func queryHashes(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func keys64(m map[int64][]int64) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// repeatedSegments returns every repeated segment with its cluster.
func (c *Catalog) repeatedSegments(ctx context.Context) (map[int64]int64, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT segment_id, cluster FROM repeated_segments`)
	if err != nil {
		return nil, fmt.Errorf("catalog: repeated segments: %w", err)
	}
	defer rows.Close()
	m := map[int64]int64{}
	for rows.Next() {
		var seg, cluster int64
		if err := rows.Scan(&seg, &cluster); err != nil {
			return nil, fmt.Errorf("catalog: repeated segments: %w", err)
		}
		m[seg] = cluster
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: repeated segments: %w", err)
	}
	return m, nil
}

// Repeat marks a segment as repeated text.
type Repeat struct {
	Cluster int64 // the same for every copy of one read
	Videos  int   // the videos the cluster is said in
}

// RepeatedIn returns the segments of a video that are repeated text, by
// segment id.
func (c *Catalog) RepeatedIn(ctx context.Context, videoID string) (map[int64]Repeat, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT r.segment_id, r.cluster,
			(SELECT count(DISTINCT s2.video_id) FROM repeated_segments r2 JOIN segments s2 ON s2.id = r2.segment_id WHERE r2.cluster = r.cluster)
		FROM repeated_segments r JOIN segments s ON s.id = r.segment_id
		WHERE s.video_id = ?`, videoID)
	if err != nil {
		return nil, fmt.Errorf("catalog: repeated in %s: %w", videoID, err)
	}
	defer rows.Close()
	m := map[int64]Repeat{}
	for rows.Next() {
		var seg int64
		var r Repeat
		if err := rows.Scan(&seg, &r.Cluster, &r.Videos); err != nil {
			return nil, fmt.Errorf("catalog: repeated in %s: %w", videoID, err)
		}
		m[seg] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: repeated in %s: %w", videoID, err)
	}
	return m, nil
}

// Cluster is one recurring text: its copies across videos.
type Cluster struct {
	ID       int64
	Segments int
	Videos   int
	Sample   string // the start of one copy
	Verdict  string // an operator's: "content", "repeated" or ""
}

// Clusters returns the clusters of repeated text said in most videos
// first (up to limit), with those an operator called content, which are
// not marked.
func (c *Catalog) Clusters(ctx context.Context, limit int) ([]Cluster, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT cluster, segments, videos, coalesce(verdict, ''), sample FROM (
			SELECT r.cluster, count(*) AS segments, count(DISTINCT s.video_id) AS videos, min(s.id) AS first
			FROM repeated_segments r JOIN segments s ON s.id = r.segment_id
			GROUP BY r.cluster
		) JOIN (SELECT id, substr(text, 1, 120) AS sample FROM segments) ON id = first
		LEFT JOIN repeat_verdicts v USING (cluster)
		UNION ALL
		SELECT cluster, 0, 0, verdict, '' FROM repeat_verdicts WHERE verdict = 'content'
		ORDER BY 3 DESC, 2 DESC, 1
		LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("catalog: clusters: %w", err)
	}
	defer rows.Close()
	var cs []Cluster
	for rows.Next() {
		var cl Cluster
		if err := rows.Scan(&cl.ID, &cl.Segments, &cl.Videos, &cl.Verdict, &cl.Sample); err != nil {
			return nil, fmt.Errorf("catalog: clusters: %w", err)
		}
		cs = append(cs, cl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: clusters: %w", err)
	}
	return cs, nil
}

// SetVerdict records an operator's verdict on a cluster, "content" (its
// segments are not marked) or "repeated", and marks its segments again.
// The verdict outlives re-imports.
func (c *Catalog) SetVerdict(ctx context.Context, cluster int64, verdict string) error {
	if verdict != "content" && verdict != "repeated" {
		return fmt.Errorf("catalog: verdict %q: a cluster is content or repeated", verdict)
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("catalog: verdict: %w", err)
	}
	defer tx.Rollback()
	var known int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM repeated_segments WHERE cluster = ?1) + (SELECT count(*) FROM repeat_verdicts WHERE cluster = ?1)`, cluster).Scan(&known); err != nil {
		return fmt.Errorf("catalog: verdict: %w", err)
	}
	if known == 0 {
		return fmt.Errorf("catalog: verdict: cluster %d: %w", cluster, ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO repeat_verdicts (cluster, verdict) VALUES (?, ?)`, cluster, verdict); err != nil {
		return fmt.Errorf("catalog: verdict: %w", err)
	}
	if verdict == "content" {
		if _, err := tx.ExecContext(ctx, `DELETE FROM repeated_segments WHERE cluster = ?`, cluster); err != nil {
			return fmt.Errorf("catalog: verdict: %w", err)
		}
	} else if err := markAround(ctx, tx, []int64{cluster}); err != nil {
		return fmt.Errorf("catalog: verdict: %w", err)
	}
	if err := bumpVersion(ctx, tx, c.now()); err != nil {
		return fmt.Errorf("catalog: verdict: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("catalog: verdict: commit: %w", err)
	}
	return nil
}
