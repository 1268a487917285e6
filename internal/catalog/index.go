package catalog

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/transcripts/site/internal/search"
)

// Index is the catalog's full-text index as search reads it: it
// implements search.Index over the FTS5 tables segments_fts and videos_fts
// and the vocabulary segments_vocab. It keeps each query prepared and the
// runs of segment ids of each video in memory, so share one per catalog.
type Index struct {
	c      *Catalog
	stmts  statements
	mu     sync.Mutex // guards runs
	runs   *segmentRuns
	reload sync.Mutex // one reload of the runs at a time
}

var _ search.Index = (*Index)(nil)

// SearchIndex returns a new search index of c (NewIndex), as every store
// gives its own.
func (c *Catalog) SearchIndex() search.Index { return NewIndex(c) }

// NewIndex returns the search index of c.
func NewIndex(c *Catalog) *Index {
	return &Index{c: c, stmts: statements{db: c.db}}
}

// maxLookups: a few segments (a page's videos found by their title) are
// highlighted by a MATCH for each; more, by one pass over the matches
// between the lowest and highest of them. A MATCH bound to one rowid
// seeks into every index segment holding each term (0.2–0.7 ms a row at
// 1M segments); the pass reads what ranking read anyway.
const maxLookups = 10

// Matches implements search.Index: the ids come as one comma-separated
// text, since a row per id through the driver costs about twice as much
// as the index read itself.
func (x *Index) Matches(ctx context.Context, q search.Query, f search.Filter, limit int) ([]search.Posting, error) {
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return nil, x.fail("matches", err)
	}
	f, none, err := x.byVideos(ctx, f)
	if err != nil {
		return nil, x.fail("matches", err)
	}
	if none {
		return nil, nil
	}
	var list string
	switch {
	case inVideos(f) && q.HasPrefix():
		args, err := x.spanArgs(ctx, q, f, 0)
		if err != nil {
			return nil, x.fail("matches", err)
		}
		if err := x.queryRow(ctx, `SELECT coalesce(group_concat(rowid), '') FROM (`+
			acrossVideos("rowid")+` ORDER BY rowid DESC LIMIT ?5)`, append(args, limit), &list); err != nil {
			return nil, x.fail("matches", err)
		}
	case inVideos(f):
		if err := x.queryRow(ctx, `SELECT coalesce(group_concat(id), '') FROM (`+
			withinVideos("segments_fts.rowid AS id")+` ORDER BY id DESC LIMIT ?5)`,
			append(videoArgs(q, f, runs, 0), limit), &list); err != nil {
			return nil, x.fail("matches", err)
		}
	default:
		where, args, err := x.filterSQL(ctx, q, f)
		if err != nil {
			return nil, x.fail("matches", err)
		}
		if err := x.queryRow(ctx, `SELECT coalesce(group_concat(rowid), '') FROM (
				SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?`+where+`
				ORDER BY rowid DESC LIMIT ?)`,
			append(append([]any{MatchExpr(q)}, args...), limit), &list); err != nil {
			return nil, x.fail("matches", err)
		}
	}
	ids, err := parseIDs(list)
	if err != nil {
		return nil, x.fail("matches", err)
	}
	// group_concat's order is not promised: newest first, as read.
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
	ps := make([]search.Posting, len(ids))
	var run SegmentRange // ids come in runs of one video
	var unknown []int64
	for i, id := range ids {
		ps[i].Segment = id
		ps[i].Repeat = runs.repeats[id]
		if id < run.FirstID || id > run.LastID {
			var ok bool
			if run, ok = runs.rangeOf(id); !ok {
				unknown = append(unknown, id)
				continue
			}
		}
		ps[i].Video = run.VideoID
	}
	if err := x.resolve(ctx, ps, unknown); err != nil {
		return nil, x.fail("matches", err)
	}
	return ps, nil
}

// probeVideos is how many videos one statement of MoreVideos probes.
const probeVideos = 256

// MoreVideos implements search.Index. It probes the videos with ids below
// below, newest first, each with one MATCH bounded to each of its runs of
// ids (FTS5 seeks each word's list to the run rather than reading it), a
// statement per probeVideos videos, until it has limit videos. A query
// with a prefix, or a filter by speaker or read, takes one pass over the
// matches instead (passVideos); a browse by filter alone reads the lines
// (moreLines).
func (x *Index) MoreVideos(ctx context.Context, q search.Query, f search.Filter, below int64, skip map[string]bool, limit int) ([]string, error) {
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return nil, x.fail("more videos", err)
	}
	f, none, err := x.byVideos(ctx, f)
	if err != nil {
		return nil, x.fail("more videos", err)
	}
	if none || limit <= 0 {
		return nil, nil
	}
	if q.Browse() {
		out, err := x.moreLines(ctx, f, below, skip, limit)
		if err != nil {
			return nil, x.fail("more videos", err)
		}
		return out, nil
	}
	if q.HasPrefix() || f.Narrowed() || f.Repeat != 0 {
		// FTS5 expands a prefix again at every MATCH (0.1–0.25 s at 10M
		// segments), and a filter by speaker or read is no run of ids:
		// one pass over the matches instead.
		out, err := x.passVideos(ctx, q, f, runs, below, skip, limit)
		if err != nil {
			return nil, x.fail("more videos", err)
		}
		return out, nil
	}
	within := map[string]bool{} // with a video filter, only its videos
	for _, id := range f.Videos {
		within[id] = true
	}
	// Each video once, by its newest run below below, with all its runs
	// there: a video in several runs (imported in parts) is one probe.
	type probe struct {
		video string
		runs  [][2]int64
	}
	var probes []probe
	at := map[string]int{}
	for i := sort.Search(len(runs.ranges), func(i int) bool { return runs.ranges[i].FirstID >= below }); i > 0; i-- {
		r := runs.ranges[i-1]
		if skip[r.VideoID] || len(within) > 0 && !within[r.VideoID] {
			continue
		}
		j, ok := at[r.VideoID]
		if !ok {
			j = len(probes)
			at[r.VideoID] = j
			probes = append(probes, probe{video: r.VideoID})
		}
		probes[j].runs = append(probes[j].runs, [2]int64{r.FirstID, min(r.LastID, below-1)})
	}
	var out []string
	for batch := range slices.Chunk(probes, probeVideos) {
		if len(out) == limit {
			break
		}
		list := make([][2]any, len(batch))
		for i, p := range batch {
			list[i] = [2]any{p.video, p.runs}
		}
		js, err := json.Marshal(list)
		if err != nil {
			return nil, x.fail("more videos", err)
		}
		// json_each yields the videos in the array's order (SQLite does
		// so, though it does not promise it), and the LIMIT stops the
		// probing once enough are found: an ORDER BY would probe them
		// all first.
		rows, err := x.query(ctx, `SELECT v.value->>0 FROM json_each(?) v
			WHERE EXISTS (SELECT 1 FROM json_each(v.value->1) r
				WHERE EXISTS (SELECT 1 FROM segments_fts WHERE segments_fts MATCH ?
					AND rowid BETWEEN r.value->>0 AND r.value->>1))
			LIMIT ?`, string(js), MatchExpr(q), limit-len(out))
		if err != nil {
			return nil, x.fail("more videos", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, x.fail("more videos", err)
			}
			out = append(out, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, x.fail("more videos", err)
		}
	}
	return out, nil
}

// videoSpan returns the lowest and highest ids of videos' lines (hi < lo
// when they have none), read from the lines themselves: a line another
// tool wrote may be in no run.
func (x *Index) videoSpan(ctx context.Context, videos []string) (lo, hi int64, err error) {
	err = x.queryRow(ctx, `SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM segments
		WHERE video_id IN (SELECT value FROM json_each(?))`, []any{jsonStrings(videos)}, &lo, &hi)
	return lo, hi, err
}

// VideosBelow implements search.Index, reading each video's lines by
// the index of their times: a few hundred a video.
func (x *Index) VideosBelow(ctx context.Context, videos []string, below int64) (map[string]bool, error) {
	out := map[string]bool{}
	if len(videos) == 0 {
		return out, nil
	}
	rows, err := x.query(ctx, `SELECT DISTINCT video_id FROM segments
		WHERE video_id IN (SELECT value FROM json_each(?)) AND id < ?`, jsonStrings(videos), below)
	if err != nil {
		return nil, x.fail("videos below", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, x.fail("videos below", err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("videos below", err)
	}
	return out, nil
}

// passVideos is MoreVideos in one pass over the matches below below,
// newest first, each new video taken as it comes, until limit: a MATCH
// FTS5 expands once however many videos it finds. A line in no run
// (another tool's, written since an import) is looked up after the pass,
// which stops once limit videos are known: the first limit videos in
// order are then all among what it read.
func (x *Index) passVideos(ctx context.Context, q search.Query, f search.Filter, runs *segmentRuns, below int64, skip map[string]bool, limit int) ([]string, error) {
	where, fargs, err := x.filterSQL(ctx, q, f)
	if err != nil {
		return nil, err
	}
	type match struct {
		id    int64
		video string // "" while unknown
	}
	var read []match
	var unknown []int64
	known := map[string]bool{}
	rows, err := x.query(ctx, `SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?`+where+`
		AND rowid < ? ORDER BY rowid DESC`, append(append([]any{MatchExpr(q)}, fargs...), below)...)
	if err != nil {
		return nil, err
	}
	for len(known) < limit && rows.Next() {
		var m match
		if err := rows.Scan(&m.id); err != nil {
			rows.Close()
			return nil, err
		}
		switch m.video = runs.video(m.id); {
		case m.video == "":
			unknown = append(unknown, m.id)
		case skip[m.video] || known[m.video]:
			continue
		default:
			known[m.video] = true
		}
		read = append(read, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	videos, err := x.videosOf(ctx, unknown)
	if err != nil {
		return nil, err
	}
	var out []string
	taken := map[string]bool{}
	for _, m := range read {
		if m.video == "" {
			m.video = videos[m.id]
		}
		if m.video != "" && !skip[m.video] && !taken[m.video] && len(out) < limit {
			taken[m.video] = true
			out = append(out, m.video)
		}
	}
	return out, nil
}

// TitleMatches implements search.Index.
func (x *Index) TitleMatches(ctx context.Context, q search.Query, f search.Filter, limit int) ([]search.TitleMatch, error) {
	if f.Speaker != "" || f.Repeat != 0 {
		return nil, nil // a title says nothing of who speaks
	}
	where, args := "", []any{MatchExpr(q)}
	if len(f.Videos) > 0 {
		where = " AND v.video_id IN (SELECT value FROM json_each(?))"
		args = append(args, jsonStrings(f.Videos))
	}
	for _, c := range videoConditions(f) {
		where += " AND v." + c.sql
		args = append(args, c.arg)
	}
	rows, err := x.query(ctx, `
		SELECT v.video_id, videos_fts.rank
		FROM videos_fts JOIN videos v ON v.rowid = videos_fts.rowid
		WHERE videos_fts MATCH ?`+where+`
		ORDER BY videos_fts.rank LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, x.fail("title matches", err)
	}
	defer rows.Close()
	var ts []search.TitleMatch
	for rows.Next() {
		var t search.TitleMatch
		if err := rows.Scan(&t.Video, &t.Score); err != nil {
			return nil, x.fail("title matches", err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("title matches", err)
	}
	return ts, nil
}

// Score implements search.Index. FTS5's ORDER BY rank scores the same rows,
// then sorts them in a second statement, which costs more than the scoring
// for a thousand rows: the caller sorts.
func (x *Index) Score(ctx context.Context, q search.Query, f search.Filter, from int64) ([]search.Scored, error) {
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return nil, x.fail("score", err)
	}
	f, none, err := x.byVideos(ctx, f)
	if err != nil {
		return nil, x.fail("score", err)
	}
	if none {
		return nil, nil
	}
	var rows *sql.Rows
	switch {
	case inVideos(f) && q.HasPrefix():
		var args []any
		if args, err = x.spanArgs(ctx, q, f, from); err != nil {
			return nil, x.fail("score", err)
		}
		rows, err = x.query(ctx, acrossVideos("rowid, rank"), args...)
	case inVideos(f):
		rows, err = x.query(ctx, withinVideos("segments_fts.rowid, segments_fts.rank"), videoArgs(q, f, runs, from)...)
	default:
		lo, hi := from, int64(math.MaxInt64)
		if len(f.Videos) > 0 {
			// Within videos and by speaker or read: the matches between
			// the videos' lowest and highest ids.
			var err error
			if lo, hi, err = x.videoSpan(ctx, f.Videos); err != nil {
				return nil, x.fail("score", err)
			}
			lo = max(lo, from)
		}
		var where string
		var args []any
		if where, args, err = x.filterSQL(ctx, q, f); err != nil {
			return nil, x.fail("score", err)
		}
		rows, err = x.query(ctx, `SELECT rowid, rank FROM segments_fts WHERE segments_fts MATCH ?`+where+` AND rowid BETWEEN ? AND ?`,
			append(append([]any{MatchExpr(q)}, args...), lo, hi)...)
	}
	if err != nil {
		return nil, x.fail("score", err)
	}
	var all []search.Scored
	var unknown []int64
	for rows.Next() {
		var s search.Scored
		if err := rows.Scan(&s.Segment, &s.Score); err != nil {
			rows.Close()
			return nil, x.fail("score", err)
		}
		s.Repeat = runs.repeats[s.Segment]
		if s.Video = runs.video(s.Segment); s.Video == "" {
			unknown = append(unknown, s.Segment)
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, x.fail("score", err)
	}
	if len(unknown) > 0 {
		found, err := x.videosOf(ctx, unknown)
		if err != nil {
			return nil, x.fail("score", err)
		}
		for i := range all {
			if all[i].Video == "" {
				all[i].Video = found[all[i].Segment]
			}
		}
	}
	return all, nil
}

// ScoreSegments implements search.Index in one pass over the matches
// between the lowest and highest of ids, scoring only theirs (the unary +
// keeps the list out of FTS5's hands, which would run the MATCH once per
// id).
func (x *Index) ScoreSegments(ctx context.Context, q search.Query, ids []int64, mark bool) ([]search.Scored, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return nil, x.fail("score segments", err)
	}
	rows, err := x.query(ctx, `
		SELECT rowid, rank, CASE WHEN ? THEN highlight(segments_fts, 0, ?, ?) ELSE '' END FROM segments_fts
		WHERE segments_fts MATCH ? AND rowid BETWEEN ? AND ?
			AND +rowid IN (SELECT value FROM json_each(?))`,
		mark, search.MarkStart, search.MarkEnd, MatchExpr(q), slices.Min(ids), slices.Max(ids), jsonIDs(ids))
	if err != nil {
		return nil, x.fail("score segments", err)
	}
	var out []search.Scored
	var unknown []int64
	for rows.Next() {
		var s search.Scored
		if err := rows.Scan(&s.Segment, &s.Score, &s.Marked); err != nil {
			rows.Close()
			return nil, x.fail("score segments", err)
		}
		s.Repeat = runs.repeats[s.Segment]
		if s.Video = runs.video(s.Segment); s.Video == "" {
			unknown = append(unknown, s.Segment)
		}
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, x.fail("score segments", err)
	}
	if len(unknown) > 0 {
		found, err := x.videosOf(ctx, unknown)
		if err != nil {
			return nil, x.fail("score segments", err)
		}
		for i := range out {
			if out[i].Video == "" {
				out[i].Video = found[out[i].Segment]
			}
		}
	}
	return out, nil
}

// Highlight implements search.Index: a MATCH per segment for a few, a pass
// over the matches between the lowest and the highest for more, or for a
// query with a prefix, for which FTS5 merges the lists of every word the
// prefix matches at each lookup.
func (x *Index) Highlight(ctx context.Context, q search.Query, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	query := `
		SELECT rowid, highlight(segments_fts, 0, ?, ?) FROM segments_fts
		WHERE segments_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`
	args := []any{search.MarkStart, search.MarkEnd, MatchExpr(q), jsonIDs(ids)}
	if len(ids) > maxLookups || q.HasPrefix() {
		query = `
			SELECT rowid, highlight(segments_fts, 0, ?, ?) FROM segments_fts
			WHERE segments_fts MATCH ? AND rowid BETWEEN ? AND ?
				AND +rowid IN (SELECT value FROM json_each(?))`
		args = []any{search.MarkStart, search.MarkEnd, MatchExpr(q), slices.Min(ids), slices.Max(ids), jsonIDs(ids)}
	}
	rows, err := x.query(ctx, query, args...)
	if err != nil {
		return nil, x.fail("highlight", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, x.fail("highlight", err)
		}
		out[id] = text
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("highlight", err)
	}
	return out, nil
}

// Segments implements search.Index.
func (x *Index) Segments(ctx context.Context, ids []int64) ([]search.Segment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := x.query(ctx, `
		SELECT s.id, s.video_id, s.start_second, s.end_second, s.text, s.speaker,
			coalesce((SELECT c.title FROM chapters c WHERE c.video_id = s.video_id AND c.start_second <= s.start_second
				ORDER BY c.start_second DESC LIMIT 1), '')
		FROM segments s WHERE s.id IN (SELECT value FROM json_each(?))`, jsonIDs(ids))
	if err != nil {
		return nil, x.fail("segments", err)
	}
	defer rows.Close()
	segs := make([]search.Segment, 0, len(ids))
	for rows.Next() {
		var s search.Segment
		if err := rows.Scan(&s.ID, &s.VideoID, &s.Start, &s.End, &s.Text, &s.Speaker, &s.Chapter); err != nil {
			return nil, x.fail("segments", err)
		}
		segs = append(segs, s)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("segments", err)
	}
	return segs, nil
}

// FirstSegment implements search.Index.
func (x *Index) FirstSegment(ctx context.Context, videoID string) (search.Segment, bool, error) {
	s := search.Segment{VideoID: videoID}
	err := x.queryRow(ctx, `
		SELECT id, start_second, end_second, text FROM segments
		WHERE video_id = ? ORDER BY start_second LIMIT 1`, []any{videoID}, &s.ID, &s.Start, &s.End, &s.Text)
	if errors.Is(err, sql.ErrNoRows) {
		return search.Segment{}, false, nil
	}
	if err != nil {
		return search.Segment{}, false, x.fail("first segment of "+videoID, err)
	}
	return s, true, nil
}

// Videos implements search.Index.
func (x *Index) Videos(ctx context.Context, ids []string) ([]search.Video, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := x.query(ctx, `
		SELECT video_id, title, thumbnail, imported_at, channel_id, channel, published
		FROM videos WHERE video_id IN (SELECT value FROM json_each(?))`, jsonStrings(ids))
	if err != nil {
		return nil, x.fail("videos", err)
	}
	defer rows.Close()
	vs := make([]search.Video, 0, len(ids))
	for rows.Next() {
		var v search.Video
		var imported string
		if err := rows.Scan(&v.ID, &v.Title, &v.Thumbnail, &imported, &v.ChannelID, &v.Channel, &v.Published); err != nil {
			return nil, x.fail("videos", err)
		}
		v.ImportedAt = parseTime(imported)
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("videos", err)
	}
	return vs, nil
}

// InVideo implements search.Index. The video's runs of consecutive ids
// bound the index read: a MATCH within each run, rather than one per
// segment, which costs a seek into every index segment holding each word
// (200 ms for a mid-frequency word's 250-segment video at 1M segments).
// Segments outside any run, written by another tool, are looked up one by
// one.
func (x *Index) InVideo(ctx context.Context, videoID string, q search.Query) ([]search.MarkedSegment, error) {
	rows, err := x.query(ctx, `
		SELECT s.id, s.start_second, s.end_second, s.text, highlight(segments_fts, 0, ?1, ?2)
		FROM segment_ranges r
			CROSS JOIN segments_fts ON segments_fts.rowid BETWEEN r.first_id AND r.last_id
			CROSS JOIN segments s ON s.id = segments_fts.rowid
		WHERE r.video_id = ?3 AND segments_fts MATCH ?4 AND s.video_id = ?3
		UNION ALL
		SELECT s.id, s.start_second, s.end_second, s.text, highlight(segments_fts, 0, ?1, ?2)
		FROM segments s CROSS JOIN segments_fts ON segments_fts.rowid = s.id
		WHERE s.video_id = ?3 AND segments_fts MATCH ?4
			AND NOT EXISTS (SELECT 1 FROM segment_ranges r WHERE r.video_id = ?3 AND s.id BETWEEN r.first_id AND r.last_id)
		ORDER BY 2`, search.MarkStart, search.MarkEnd, videoID, MatchExpr(q))
	if err != nil {
		return nil, x.fail("search in "+videoID, err)
	}
	defer rows.Close()
	var ms []search.MarkedSegment
	for rows.Next() {
		m := search.MarkedSegment{Segment: search.Segment{VideoID: videoID}}
		if err := rows.Scan(&m.ID, &m.Start, &m.End, &m.Text, &m.Marked); err != nil {
			return nil, x.fail("search in "+videoID, err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("search in "+videoID, err)
	}
	return ms, nil
}

// Speakers implements search.Index.
func (x *Index) Speakers(ctx context.Context, ids []int64, limit int) ([]search.Count, error) {
	runs, err := x.segmentRuns(ctx)
	if err != nil || len(runs.speakers) == 0 || len(ids) == 0 {
		return nil, err
	}
	rows, err := x.query(ctx, `
		SELECT speaker, count(*) FROM segments
		WHERE id IN (SELECT value FROM json_each(?)) AND speaker <> ''
		GROUP BY speaker ORDER BY 2 DESC, 1 LIMIT ?`, jsonIDs(ids), limit)
	if err != nil {
		return nil, x.fail("speakers", err)
	}
	defer rows.Close()
	var cs []search.Count
	for rows.Next() {
		var c search.Count
		if err := rows.Scan(&c.Value, &c.N); err != nil {
			return nil, x.fail("speakers", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("speakers", err)
	}
	return cs, nil
}

// Described implements search.Index, as read with the runs.
func (x *Index) Described(ctx context.Context) (bool, error) {
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return false, err
	}
	return runs.described, nil
}

// Speaker implements search.Index from the names kept with the runs.
func (x *Index) Speaker(ctx context.Context, name string) (string, bool, error) {
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return "", false, err
	}
	written, ok := runs.speakers[strings.ToLower(name)]
	return written, ok, nil
}

// WordDocs implements search.Index.
func (x *Index) WordDocs(ctx context.Context, word string, limit int) (int, error) {
	words := strings.FieldsFunc(word, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
	})
	if len(words) == 0 {
		return 0, nil
	}
	q := search.Query{Groups: [][]search.Term{{{Words: words}}}}
	var n int
	if err := x.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM segments_fts WHERE segments_fts MATCH ? LIMIT ?)`,
		[]any{MatchExpr(q), limit}, &n); err != nil {
		return 0, x.fail("word "+word, err)
	}
	return n, nil
}

// Terms implements search.Index from the fts5vocab table segments_vocab.
func (x *Index) Terms(ctx context.Context, prefix string, minDocs int) ([]search.TermDocs, error) {
	if prefix == "" {
		return nil, nil
	}
	rs := []rune(prefix)
	rs[len(rs)-1]++
	rows, err := x.query(ctx, `SELECT term, doc FROM segments_vocab WHERE term >= ? AND term < ? AND doc >= ?`,
		prefix, string(rs), minDocs)
	if err != nil {
		return nil, x.fail("terms "+prefix, err)
	}
	defer rows.Close()
	var ts []search.TermDocs
	for rows.Next() {
		var t search.TermDocs
		if err := rows.Scan(&t.Term, &t.Docs); err != nil {
			return nil, x.fail("terms "+prefix, err)
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("terms "+prefix, err)
	}
	return ts, nil
}

// SurfaceForms implements search.Index with a prefix query: a stem need
// not stem to itself.
func (x *Index) SurfaceForms(ctx context.Context, stem string, limit int) ([]string, error) {
	q := search.Query{Groups: [][]search.Term{{{Words: []string{stem}, Prefix: true}}}}
	rows, err := x.query(ctx, `SELECT highlight(segments_fts, 0, ?, ?) FROM segments_fts WHERE segments_fts MATCH ? LIMIT ?`,
		search.MarkStart, search.MarkEnd, MatchExpr(q), limit)
	if err != nil {
		return nil, x.fail("forms of "+stem, err)
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, x.fail("forms of "+stem, err)
		}
		words = append(words, search.MarkedWords(h)...)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("forms of "+stem, err)
	}
	return words, nil
}

// fail wraps an error of the index. An FTS5 syntax error, which MatchExpr
// should make impossible, still reaches the reader as a bad query rather
// than a failure.
func (x *Index) fail(op string, err error) error {
	if strings.Contains(err.Error(), "fts5:") {
		return fmt.Errorf("catalog: index %s: %w (%v)", op, &search.QueryError{Reason: "This query could not be searched."}, err)
	}
	return fmt.Errorf("catalog: index %s: %w", op, err)
}

// maxFilterVideos is the most videos a filter by channel or publication
// day is read as (byVideos): each is a seek per run of its ids, where
// testing the filter on the matches costs a read per match.
const maxFilterVideos = 5_000

// byVideos returns f as a filter by the videos it allows when it narrows
// by channel or publication day (and perhaps videos) and nothing else,
// and they are at most maxFilterVideos: a MATCH within them is read run
// by run of their ids (withinVideos), where FTS5, given the filter as
// rowid IN (…), looked each of their lines up alone (4 s for network in
// one channel of 40 at 1M segments; the is past the timeout).
// none reports that no video passes. Any other f comes back as it is.
func (x *Index) byVideos(ctx context.Context, f search.Filter) (g search.Filter, none bool, err error) {
	vc := videoConditions(f)
	if len(vc) == 0 || f.Speaker != "" || f.Repeat != 0 {
		return f, false, nil
	}
	var conds []string
	var args []any
	for _, c := range vc {
		conds, args = append(conds, c.sql), append(args, c.arg)
	}
	if len(f.Videos) > 0 {
		conds, args = append(conds, "video_id IN (SELECT value FROM json_each(?))"), append(args, jsonStrings(f.Videos))
	}
	rows, err := x.query(ctx, `SELECT video_id FROM videos WHERE `+strings.Join(conds, " AND ")+` LIMIT ?`,
		append(args, maxFilterVideos+1)...)
	if err != nil {
		return f, false, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return f, false, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return f, false, err
	}
	if len(ids) > maxFilterVideos {
		return f, false, nil
	}
	return search.Filter{Videos: ids}, len(ids) == 0, nil
}

// inVideos reports whether f narrows to videos and nothing else: such a
// MATCH is read run by run of the videos' ids (withinVideos).
func inVideos(f search.Filter) bool {
	return len(f.Videos) > 0 && !f.Narrowed() && f.Repeat == 0
}

// withinVideos is a MATCH of segments_fts within videos, selecting cols
// (expressions of segments_fts), with the arguments of videoArgs. FTS5 is
// asked for each run of the videos' ids, a range it seeks to; asked for
// their ids (rowid IN …), it looks each line up alone and, with a range
// from 0, scores every match in the collection first (6 s for one video
// and a mid word at 10M segments; 86 s for a prefix in one video at 1M).
// Lines written since the last import by another tool are in no run yet:
// above the runs, membership is tested on the matches instead. A run is
// trusted to hold its video's ids only, as every lookup of a segment's
// video through the runs trusts it (imports and deletions keep them).
func withinVideos(cols string) string {
	// One lower bound each: FTS5 uses one, and given two (the run's
	// first id and from) it used from, reading each run from there.
	return `SELECT ` + cols + ` FROM segment_ranges r
			CROSS JOIN segments_fts ON segments_fts.rowid BETWEEN max(r.first_id, ?4) AND r.last_id
		WHERE r.video_id IN (SELECT value FROM json_each(?1)) AND segments_fts MATCH ?2
		UNION ALL
		SELECT ` + cols + ` FROM segments_fts WHERE segments_fts MATCH ?2 AND segments_fts.rowid >= max(?3 + 1, ?4)
			AND +segments_fts.rowid IN (SELECT id FROM segments WHERE video_id IN (SELECT value FROM json_each(?1)))`
}

// acrossVideos is withinVideos for a query with a prefix, which FTS5
// expands again at every MATCH (0.1–0.25 s at 10M segments), so that a
// MATCH per run would cost an expansion each: one MATCH between the
// videos' lowest and highest ids, each match tested for its video, with
// the arguments of spanArgs.
func acrossVideos(cols string) string {
	return `SELECT ` + cols + ` FROM segments_fts WHERE segments_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3
		AND +rowid IN (SELECT id FROM segments WHERE video_id IN (SELECT value FROM json_each(?4)))`
}

// spanArgs are the arguments of acrossVideos: q, the span of f's videos
// from the lowest id wanted, and the videos.
func (x *Index) spanArgs(ctx context.Context, q search.Query, f search.Filter, from int64) ([]any, error) {
	lo, hi, err := x.videoSpan(ctx, f.Videos)
	if err != nil {
		return nil, err
	}
	return []any{MatchExpr(q), max(lo, from), hi, jsonStrings(f.Videos)}, nil
}

// videoArgs are the arguments of withinVideos: f's videos, q, the last id
// the runs hold, and the lowest id wanted.
func videoArgs(q search.Query, f search.Filter, runs *segmentRuns, from int64) []any {
	return []any{jsonStrings(f.Videos), MatchExpr(q), runs.last(), from}
}

// maxFilterLookups is the most lines a filter may allow for a MATCH to look
// each up alone (filterSQL).
const maxFilterLookups = 1_000

// filterSQL is the SQL and argument restricting a MATCH on segments_fts
// to f: the same text for any number of videos. Given the lines f allows
// as rowid IN (…), FTS5 looks each up alone (0.2–0.7 ms a line at 1M
// segments): right for a few lines, such as the copies of one sponsor
// read. A filter allowing more (a speaker's thousands of lines) is tested
// on the matches instead (+rowid: FTS5 reads them in order, SQLite tests
// each against the allowed lines): at 1M segments, network said by one
// of 50 speakers took 3.1 s looked up, 51 ms tested in the sqlite3 CLI.
//
// With a prefix in q, every filter is tested on the matches: FTS5 would
// expand the prefix again for each line looked up.
func (x *Index) filterSQL(ctx context.Context, q search.Query, f search.Filter) (string, []any, error) {
	conds, args := segmentConditions(f)
	if len(conds) == 0 && f.Repeat == 0 {
		return "", nil, nil
	}
	// Each set of allowed lines, and how many it holds (up to one past
	// maxFilterLookups): the smallest is looked up when few enough, the
	// others tested on what it finds.
	type set struct {
		sql  string
		args []any
		n    int
	}
	var sets []set
	if len(conds) > 0 {
		sets = append(sets, set{sql: "SELECT id FROM segments WHERE " + strings.Join(conds, " AND "), args: args})
	}
	if f.Repeat != 0 {
		sets = append(sets, set{sql: "SELECT segment_id FROM repeated_segments WHERE cluster = ?", args: []any{f.Repeat}})
	}
	// With a prefix every set is tested on the matches: none is counted.
	lookup := !q.HasPrefix()
	smallest := 0
	for i := 0; lookup && i < len(sets); i++ {
		if err := x.queryRow(ctx, `SELECT count(*) FROM (`+sets[i].sql+` LIMIT ?)`, append(slices.Clone(sets[i].args), maxFilterLookups+1), &sets[i].n); err != nil {
			return "", nil, err
		}
		if sets[i].n < sets[smallest].n {
			smallest = i
		}
	}
	var where string
	var all []any
	for i, st := range sets {
		if lookup && i == smallest && st.n <= maxFilterLookups {
			where += " AND rowid IN (" + st.sql + ")"
		} else {
			where += " AND +rowid IN (" + st.sql + ")"
		}
		all = append(all, st.args...)
	}
	return where, all, nil
}

// segmentConditions are f's tests of a segments row (all but Repeat).
func segmentConditions(f search.Filter) ([]string, []any) {
	var args []any
	var conds []string
	if len(f.Videos) > 0 {
		conds = append(conds, "video_id IN (SELECT value FROM json_each(?))")
		args = append(args, jsonStrings(f.Videos))
	}
	if vc := videoConditions(f); len(vc) > 0 {
		var parts []string
		for _, c := range vc {
			parts = append(parts, c.sql)
			args = append(args, c.arg)
		}
		conds = append(conds, "video_id IN (SELECT video_id FROM videos WHERE "+strings.Join(parts, " AND ")+")")
	}
	if f.Speaker != "" {
		// The partial index segments_by_speaker holds the named lines.
		conds = append(conds, "speaker <> '' AND speaker = ?")
		args = append(args, f.Speaker)
	}
	return conds, args
}

// Lines implements search.Index.
func (x *Index) Lines(ctx context.Context, f search.Filter, limit int) ([]search.Posting, error) {
	runs, err := x.segmentRuns(ctx)
	if err != nil {
		return nil, x.fail("lines", err)
	}
	conds, args := lineConditions(f)
	if len(conds) == 0 {
		return nil, fmt.Errorf("catalog: index lines: %w", &search.QueryError{Reason: "Type a word to look for, or narrow by speaker, channel or date."})
	}
	rows, err := x.c.db.QueryContext(ctx, `SELECT id, video_id FROM segments WHERE `+strings.Join(conds, " AND ")+` ORDER BY id DESC LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, x.fail("lines", err)
	}
	defer rows.Close()
	var ps []search.Posting
	for rows.Next() {
		var p search.Posting
		if err := rows.Scan(&p.Segment, &p.Video); err != nil {
			return nil, x.fail("lines", err)
		}
		p.Repeat = runs.repeats[p.Segment]
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return nil, x.fail("lines", err)
	}
	return ps, nil
}

// lineConditions are f's tests of a segments row, Repeat included.
func lineConditions(f search.Filter) ([]string, []any) {
	conds, args := segmentConditions(f)
	if f.Repeat != 0 {
		conds = append(conds, "id IN (SELECT segment_id FROM repeated_segments WHERE cluster = ?)")
		args = append(args, f.Repeat)
	}
	return conds, args
}

// moreLines is MoreVideos for a browse by filter alone: the videos with a
// line within f below below, by their newest such line, newest first.
func (x *Index) moreLines(ctx context.Context, f search.Filter, below int64, skip map[string]bool, limit int) ([]string, error) {
	conds, args := lineConditions(f)
	if len(conds) == 0 {
		return nil, nil
	}
	rows, err := x.query(ctx, `SELECT video_id, max(id) AS newest FROM segments
		WHERE `+strings.Join(conds, " AND ")+` AND id < ? GROUP BY video_id ORDER BY newest DESC LIMIT ?`,
		append(args, below, limit+len(skip))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		var newest int64
		if err := rows.Scan(&id, &newest); err != nil {
			return nil, err
		}
		if !skip[id] && len(out) < limit {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// condition is a test of a videos row and its argument.
type condition struct {
	sql string
	arg any
}

// videoConditions are f's tests of a video: its channel and its
// publication day (a bound leaves out undated videos).
func videoConditions(f search.Filter) []condition {
	var cs []condition
	if f.Channel != "" {
		cs = append(cs, condition{"channel_id = ?", f.Channel})
	}
	if f.After != "" {
		cs = append(cs, condition{"published >= ?", f.After})
	}
	if f.Before != "" {
		cs = append(cs, condition{"published <> '' AND published <= ?", f.Before})
	}
	return cs
}

// resolve fills in the videos of the postings at ids, segments the runs
// do not know (written by another tool than the importer).
func (x *Index) resolve(ctx context.Context, ps []search.Posting, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	found, err := x.videosOf(ctx, ids)
	if err != nil {
		return err
	}
	for i := range ps {
		if ps[i].Video == "" {
			ps[i].Video = found[ps[i].Segment]
		}
	}
	return nil
}

// videosOf looks up the videos of segments, a batch at a time.
func (x *Index) videosOf(ctx context.Context, ids []int64) (map[int64]string, error) {
	found := make(map[int64]string, len(ids))
	for batch := range slices.Chunk(ids, 5000) {
		rows, err := x.query(ctx, `SELECT id, video_id FROM segments WHERE id IN (SELECT value FROM json_each(?))`, jsonIDs(batch))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var video string
			if err := rows.Scan(&id, &video); err != nil {
				rows.Close()
				return nil, err
			}
			found[id] = video
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// parseIDs reads a comma-separated list of ids.
func parseIDs(list string) ([]int64, error) {
	if list == "" {
		return nil, nil
	}
	ids := make([]int64, 0, strings.Count(list, ",")+1)
	for f := range strings.SplitSeq(list, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("segment id %q: %w", f, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
