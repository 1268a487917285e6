package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/transcripts/site/internal/search"
)

// Index is the search.Index of a Store: PostgreSQL full-text search over
// the segments' tsvector column (GIN-indexed) and the videos' titles.
//
// Scores are BM25, as FTS5 computes it (k1 1.2, b 0.75, the same idf),
// summed over the query's words, negated so lower is better, from each
// segment's tsvector: a word's frequency is its number of positions, and
// a segment's length its number of distinct stems (FTS5 counts every
// token), the average length and each stem's segments kept up to date by
// imports. A phrase is weighed as its words; a prefix as the stems it
// starts. Stems are Snowball's English (Porter's revision), where FTS5
// uses Porter's original: a few words stem differently.
type Index struct{ s *Store }

// NewIndex returns the search index of s.
func NewIndex(s *Store) *Index { return &Index{s: s} }

// SearchIndex returns the search index of s (NewIndex), as every store
// gives its own.
func (s *Store) SearchIndex() search.Index { return NewIndex(s) }

var _ search.Index = (*Index)(nil)

// args collects a statement's arguments, naming each as it is added.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

// match is the condition that segment s matches q.
func (a *args) match(q search.Query) string {
	return "s.tsv @@ to_tsquery('" + config + "', " + a.add(tsquery(q)) + ")"
}

// headline is the words of text (transcript_words) with q's marked by
// search.MarkStart and MarkEnd; remark moves the marks onto text itself.
func (a *args) headline(q search.Query, text string) string {
	return "ts_headline('" + config + "', transcript_words(" + text + "), to_tsquery('" + config + "', " + a.add(markQuery(q)) +
		"), " + a.add(`HighlightAll=true, StartSel="`+search.MarkStart+`", StopSel="`+search.MarkEnd+`"`) + ")"
}

// weights returns the common table expressions st (the collection's
// figures) and qt (the query's stems and their idf) that bm25 reads; over
// the titles of videos when titles is set, else over segments.
func (a *args) weights(q search.Query, titles bool) string {
	words, prefix := scoredWords(q)
	st := `SELECT greatest(segments, 1)::float8 AS n, greatest(lexemes, 1)::float8 / greatest(segments, 1) AS avgdl FROM index_stats`
	df := `SELECT least(coalesce(sum(t.docs), 0), st.n) AS df FROM terms t
		WHERE t.term = qw.lex OR (qw.pre AND t.term > qw.lex AND t.term < qw.lex || chr(1114111))`
	if titles {
		st = `SELECT greatest(titled, 1)::float8 AS n, greatest(title_lexemes, 1)::float8 / greatest(titled, 1) AS avgdl FROM index_stats`
		df = `SELECT count(*) AS df FROM videos t
			WHERE t.title_tsv @@ (quote_literal(qw.lex) || CASE WHEN qw.pre THEN ':*' ELSE '' END)::tsquery`
	}
	return `st AS (` + st + `),
		qw AS (SELECT DISTINCT l.lexeme AS lex, w.pre
			FROM unnest(` + a.add(words) + `::text[], ` + a.add(prefix) + `::bool[]) AS w(word, pre),
			unnest(to_tsvector('` + config + `', w.word)) AS l),
		qt AS (SELECT qw.lex, qw.pre, greatest(ln((st.n - d.df + 0.5) / (d.df + 0.5)), 1e-6) AS idf
			FROM qw CROSS JOIN st CROSS JOIN LATERAL (` + df + `) d)`
}

// bm25 is the score of the tsvector tsv under the weights (st in scope).
func bm25(tsv string) string {
	return `-(SELECT coalesce(sum(qt.idf * u.tf * 2.2 / (u.tf + 1.2 * (0.25 + 0.75 * length(` + tsv + `) / st.avgdl))), 0)
		FROM (SELECT lexeme, cardinality(positions)::float8 AS tf FROM unnest(` + tsv + `)) u
		JOIN qt ON u.lexeme = qt.lex OR (qt.pre AND starts_with(u.lexeme, qt.lex)))`
}

// filter returns the conditions on segment s that f sets.
func (a *args) filter(f search.Filter) []string {
	var conds []string
	if len(f.Videos) > 0 {
		conds = append(conds, "s.video_id = ANY("+a.add(f.Videos)+")")
	}
	if f.Repeat != 0 {
		conds = append(conds, "s.id IN (SELECT segment_id FROM repeated_segments WHERE cluster = "+a.add(f.Repeat)+")")
	}
	if vc := a.videoFilter(f); len(vc) > 0 {
		conds = append(conds, "s.video_id IN (SELECT v.video_id FROM videos v WHERE "+strings.Join(vc, " AND ")+")")
	}
	if f.Speaker != "" {
		conds = append(conds, "s.speaker <> '' AND s.speaker = "+a.add(f.Speaker))
	}
	return conds
}

// videoFilter returns the conditions on video v that f sets by channel
// and day of publication.
func (a *args) videoFilter(f search.Filter) []string {
	var conds []string
	if f.Channel != "" {
		conds = append(conds, "v.channel_id = "+a.add(f.Channel))
	}
	if f.After != "" {
		conds = append(conds, "v.published >= "+a.add(f.After))
	}
	if f.Before != "" {
		conds = append(conds, "v.published <> '' AND v.published <= "+a.add(f.Before))
	}
	return conds
}

func and(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(conds, " AND ")
}

// fail wraps an error of the index; a query PostgreSQL cannot parse is the
// reader's (search.ErrBadQuery), though the quoting above leaves none.
func (x *Index) fail(op string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42601" || pe.Code == "54000") {
		return fmt.Errorf("postgres: index %s: %w (%v)", op, &search.QueryError{Reason: "This query could not be searched."}, err)
	}
	return fmt.Errorf("postgres: index %s: %w", op, err)
}

func (x *Index) postings(ctx context.Context, op, query string, a args) ([]search.Posting, error) {
	rows, err := x.s.pool.Query(ctx, query, a...)
	if err != nil {
		return nil, x.fail(op, err)
	}
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[search.Posting])
	if err != nil {
		return nil, x.fail(op, err)
	}
	return ps, nil
}

// Matches implements search.Index.
func (x *Index) Matches(ctx context.Context, q search.Query, f search.Filter, limit int) ([]search.Posting, error) {
	var a args
	where := a.match(q) + and(a.filter(f))
	return x.postings(ctx, "matches", `
		SELECT s.id, s.video_id, coalesce(r.cluster, 0) FROM segments s
		LEFT JOIN repeated_segments r ON r.segment_id = s.id
		WHERE `+where+` ORDER BY s.id DESC LIMIT `+a.add(limit), a)
}

// MoreVideos implements search.Index.
func (x *Index) MoreVideos(ctx context.Context, q search.Query, f search.Filter, below int64, skip map[string]bool, limit int) ([]string, error) {
	var a args
	conds := a.filter(f)
	if len(q.Groups) > 0 {
		conds = append(conds, a.match(q))
	}
	skipped := make([]string, 0, len(skip))
	for id := range skip {
		skipped = append(skipped, id)
	}
	conds = append(conds, "s.id < "+a.add(below), "NOT s.video_id = ANY("+a.add(skipped)+")")
	rows, err := x.s.pool.Query(ctx, `
		SELECT s.video_id FROM segments s WHERE `+strings.Join(conds, " AND ")+`
		GROUP BY s.video_id ORDER BY max(s.id) DESC LIMIT `+a.add(limit), a...)
	if err != nil {
		return nil, x.fail("more videos", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, x.fail("more videos", err)
	}
	return ids, nil
}

// VideosBelow implements search.Index.
func (x *Index) VideosBelow(ctx context.Context, videos []string, below int64) (map[string]bool, error) {
	out := map[string]bool{}
	if len(videos) == 0 {
		return out, nil
	}
	rows, err := x.s.pool.Query(ctx, `
		SELECT video_id FROM segments WHERE video_id = ANY($1) GROUP BY video_id HAVING min(id) < $2`, videos, below)
	if err != nil {
		return nil, x.fail("videos below", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, x.fail("videos below", err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// Lines implements search.Index.
func (x *Index) Lines(ctx context.Context, f search.Filter, limit int) ([]search.Posting, error) {
	var a args
	conds := a.filter(f)
	if len(conds) == 0 {
		return nil, fmt.Errorf("postgres: index lines: %w", &search.QueryError{Reason: "Type a word to look for, or narrow by speaker, channel or date."})
	}
	return x.postings(ctx, "lines", `
		SELECT s.id, s.video_id, coalesce(r.cluster, 0) FROM segments s
		LEFT JOIN repeated_segments r ON r.segment_id = s.id
		WHERE `+strings.Join(conds, " AND ")+` ORDER BY s.id DESC LIMIT `+a.add(limit), a)
}

// TitleMatches implements search.Index, scoring titles by BM25 over the
// titles as the SQLite backend does.
func (x *Index) TitleMatches(ctx context.Context, q search.Query, f search.Filter, limit int) ([]search.TitleMatch, error) {
	if f.Speaker != "" || f.Repeat != 0 {
		return nil, nil // a title says nothing of who speaks
	}
	var a args
	with := a.weights(q, true)
	conds := append(a.videoFilter(f), "v.title_tsv @@ to_tsquery('"+config+"', "+a.add(tsquery(q))+")")
	if len(f.Videos) > 0 {
		conds = append(conds, "v.video_id = ANY("+a.add(f.Videos)+")")
	}
	rows, err := x.s.pool.Query(ctx, `WITH `+with+`
		SELECT v.video_id, `+bm25("v.title_tsv")+` AS score
		FROM videos v CROSS JOIN st WHERE `+strings.Join(conds, " AND ")+`
		ORDER BY score, v.video_id LIMIT `+a.add(limit), a...)
	if err != nil {
		return nil, x.fail("title matches", err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[search.TitleMatch])
	if err != nil {
		return nil, x.fail("title matches", err)
	}
	return ts, nil
}

// scored runs a scoring query: its rows are id, video, cluster, score and
// (when marked) the marked text.
func (x *Index) scored(ctx context.Context, op, query string, a args, marked bool) ([]search.Scored, error) {
	rows, err := x.s.pool.Query(ctx, query, a...)
	if err != nil {
		return nil, x.fail(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.Scored, error) {
		var sc search.Scored
		if marked {
			var text, h string
			err := r.Scan(&sc.Segment, &sc.Video, &sc.Repeat, &sc.Score, &text, &h)
			sc.Marked = remark(text, h)
			return sc, err
		}
		err := r.Scan(&sc.Segment, &sc.Video, &sc.Repeat, &sc.Score)
		return sc, err
	})
	if err != nil {
		return nil, x.fail(op, err)
	}
	return out, nil
}

// Score implements search.Index.
func (x *Index) Score(ctx context.Context, q search.Query, f search.Filter, from int64) ([]search.Scored, error) {
	var a args
	with := a.weights(q, false)
	where := a.match(q) + and(a.filter(f))
	if from > 0 {
		where += " AND s.id >= " + a.add(from)
	}
	return x.scored(ctx, "score", `WITH `+with+`
		SELECT s.id, s.video_id, coalesce(r.cluster, 0), `+bm25("s.tsv")+`
		FROM segments s CROSS JOIN st LEFT JOIN repeated_segments r ON r.segment_id = s.id
		WHERE `+where, a, false)
}

// Best implements search.Index: PostgreSQL keeps no lists of each word's
// best segments, so every query is ranked by scoring its matches.
func (x *Index) Best(ctx context.Context, q search.Query, f search.Filter, limit int) ([]search.Scored, error) {
	return nil, search.ErrNoBest
}

// ScoreSegments implements search.Index.
func (x *Index) ScoreSegments(ctx context.Context, q search.Query, ids []int64, mark bool) ([]search.Scored, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var a args
	with := a.weights(q, false)
	cols := "s.id, s.video_id, coalesce(r.cluster, 0), " + bm25("s.tsv")
	if mark {
		cols += ", s.text, " + a.headline(q, "s.text")
	}
	where := a.match(q) + " AND s.id = ANY(" + a.add(ids) + ")"
	return x.scored(ctx, "score segments", `WITH `+with+`
		SELECT `+cols+` FROM segments s CROSS JOIN st LEFT JOIN repeated_segments r ON r.segment_id = s.id
		WHERE `+where, a, mark)
}

// Highlight implements search.Index.
func (x *Index) Highlight(ctx context.Context, q search.Query, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var a args
	rows, err := x.s.pool.Query(ctx, `SELECT s.id, s.text, `+a.headline(q, "s.text")+` FROM segments s
		WHERE s.id = ANY(`+a.add(ids)+`) AND `+a.match(q), a...)
	if err != nil {
		return nil, x.fail("highlight", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text, h string
		if err := rows.Scan(&id, &text, &h); err != nil {
			return nil, x.fail("highlight", err)
		}
		out[id] = remark(text, h)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("highlight", err)
	}
	return out, nil
}

// segmentColumns read a search.Segment of segment s, with its chapter.
const segmentColumns = `s.id, s.video_id, s.start_second, s.end_second, s.text, s.speaker,
	coalesce((SELECT c.title FROM chapters c WHERE c.video_id = s.video_id AND c.start_second <= s.start_second
		ORDER BY c.start_second DESC LIMIT 1), '')`

func scanSegment(r pgx.Row, more ...any) (search.Segment, error) {
	var s search.Segment
	err := r.Scan(append([]any{&s.ID, &s.VideoID, &s.Start, &s.End, &s.Text, &s.Speaker, &s.Chapter}, more...)...)
	return s, err
}

// Segments implements search.Index.
func (x *Index) Segments(ctx context.Context, ids []int64) ([]search.Segment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := x.s.pool.Query(ctx, `SELECT `+segmentColumns+` FROM segments s WHERE s.id = ANY($1)`, ids)
	if err != nil {
		return nil, x.fail("segments", err)
	}
	segs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.Segment, error) { return scanSegment(r) })
	if err != nil {
		return nil, x.fail("segments", err)
	}
	return segs, nil
}

// FirstSegment implements search.Index.
func (x *Index) FirstSegment(ctx context.Context, videoID string) (search.Segment, bool, error) {
	s, err := scanSegment(x.s.pool.QueryRow(ctx, `SELECT `+segmentColumns+` FROM segments s
		WHERE s.video_id = $1 ORDER BY s.start_second LIMIT 1`, videoID))
	if noRows(err) {
		return search.Segment{}, false, nil
	}
	if err != nil {
		return search.Segment{}, false, x.fail("first segment", err)
	}
	return s, true, nil
}

// Videos implements search.Index.
func (x *Index) Videos(ctx context.Context, ids []string) ([]search.Video, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := x.s.pool.Query(ctx, `
		SELECT video_id, title, thumbnail, imported_at, channel_id, channel, published
		FROM videos WHERE video_id = ANY($1)`, ids)
	if err != nil {
		return nil, x.fail("videos", err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[search.Video])
	if err != nil {
		return nil, x.fail("videos", err)
	}
	for i := range vs {
		vs[i].ImportedAt = vs[i].ImportedAt.UTC()
	}
	return vs, nil
}

// InVideo implements search.Index.
func (x *Index) InVideo(ctx context.Context, videoID string, q search.Query) ([]search.MarkedSegment, error) {
	var a args
	rows, err := x.s.pool.Query(ctx, `SELECT `+segmentColumns+`, `+a.headline(q, "s.text")+` FROM segments s
		WHERE s.video_id = `+a.add(videoID)+` AND `+a.match(q)+` ORDER BY s.start_second`, a...)
	if err != nil {
		return nil, x.fail("in video", err)
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (search.MarkedSegment, error) {
		var m search.MarkedSegment
		var h string
		s, err := scanSegment(r, &h)
		m.Segment, m.Marked = s, remark(s.Text, h)
		return m, err
	})
	if err != nil {
		return nil, x.fail("in video", err)
	}
	return ms, nil
}

// Described implements search.Index.
func (x *Index) Described(ctx context.Context) (bool, error) {
	var ok bool
	if err := x.s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM videos WHERE channel_id <> '' OR published <> '')`).Scan(&ok); err != nil {
		return false, x.fail("described", err)
	}
	return ok, nil
}

// Speakers implements search.Index.
func (x *Index) Speakers(ctx context.Context, ids []int64, limit int) ([]search.Count, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := x.s.pool.Query(ctx, `
		SELECT speaker, count(*) FROM segments WHERE id = ANY($1) AND speaker <> ''
		GROUP BY speaker ORDER BY 2 DESC, speaker COLLATE "C" LIMIT $2`, ids, limit)
	if err != nil {
		return nil, x.fail("speakers", err)
	}
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[search.Count])
	if err != nil {
		return nil, x.fail("speakers", err)
	}
	return cs, nil
}

// Speaker implements search.Index.
func (x *Index) Speaker(ctx context.Context, name string) (string, bool, error) {
	var written string
	err := x.s.pool.QueryRow(ctx, `
		SELECT speaker FROM segments WHERE speaker <> '' AND lower(speaker) = lower($1)
		GROUP BY speaker ORDER BY count(*) DESC, speaker COLLATE "C" LIMIT 1`, name).Scan(&written)
	if noRows(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, x.fail("speaker", err)
	}
	return written, true, nil
}

// WordDocs implements search.Index.
func (x *Index) WordDocs(ctx context.Context, word string, limit int) (int, error) {
	words := strings.FieldsFunc(word, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
	if len(words) == 0 {
		return 0, nil
	}
	var a args
	q := search.Query{Groups: [][]search.Term{{{Words: words}}}}
	var n int
	if err := x.s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM segments s WHERE `+a.match(q)+
		` LIMIT `+a.add(limit)+`) m`, a...).Scan(&n); err != nil {
		return 0, x.fail("word "+word, err)
	}
	return n, nil
}

// Terms implements search.Index from the vocabulary imports keep.
func (x *Index) Terms(ctx context.Context, prefix string, minDocs int) ([]search.TermDocs, error) {
	if prefix == "" {
		return nil, nil
	}
	rows, err := x.s.pool.Query(ctx, `
		SELECT term, docs FROM terms WHERE term >= $1 AND term < $1 || chr(1114111) AND docs >= $2 ORDER BY term`, prefix, minDocs)
	if err != nil {
		return nil, x.fail("terms "+prefix, err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[search.TermDocs])
	if err != nil {
		return nil, x.fail("terms "+prefix, err)
	}
	return ts, nil
}

// SurfaceForms implements search.Index with a prefix query: a stem need
// not stem to itself.
func (x *Index) SurfaceForms(ctx context.Context, stem string, limit int) ([]string, error) {
	return x.s.writtenForms(ctx, stem, limit)
}

// writtenForms returns the words, as written, that the index reads as
// words starting with stem, in up to limit segments, one per use.
func (s *Store) writtenForms(ctx context.Context, stem string, limit int) ([]string, error) {
	var a args
	q := search.Query{Groups: [][]search.Term{{{Words: []string{stem}, Prefix: true}}}}
	rows, err := s.pool.Query(ctx, `SELECT `+a.headline(q, "s.text")+` FROM (SELECT text FROM segments s WHERE `+
		a.match(q)+` LIMIT `+a.add(limit)+`) s`, a...)
	if err != nil {
		return nil, fmt.Errorf("postgres: forms of %s: %w", stem, err)
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("postgres: forms of %s: %w", stem, err)
		}
		words = append(words, search.MarkedWords(h)...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: forms of %s: %w", stem, err)
	}
	return words, nil
}
