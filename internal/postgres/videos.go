package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/transcripts/site/internal/catalog"
)

// videoColumns are the columns scanVideo reads, in its order.
const videoColumns = `video_id, title, thumbnail, duration_seconds, segment_count, imported_at,
	channel_id, channel, published, description, tags, language`

func scanVideo(row pgx.Row) (catalog.Video, error) {
	var v catalog.Video
	var published, tags string
	if err := row.Scan(&v.ID, &v.Title, &v.Thumbnail, &v.Duration, &v.Segments, &v.ImportedAt,
		&v.ChannelID, &v.Channel, &published, &v.Description, &tags, &v.Language); err != nil {
		return catalog.Video{}, err
	}
	v.ImportedAt = v.ImportedAt.UTC()
	v.Published = parseDate(published)
	v.Tags = catalog.ParseTags(tags)
	return v, nil
}

func parseDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// orderBy is each catalog order's ORDER BY clause, as the SQLite
// catalog's: fixed text, never the reader's.
var orderBy = map[catalog.VideoSort]string{
	catalog.SortNewest: `published = '', published DESC, title = '', sort_title, video_id`,
	catalog.SortOldest: `published = '', published, title = '', sort_title, video_id`,
	catalog.SortTitle:  `title = '', sort_title, video_id`,
	catalog.SortLength: `duration_seconds DESC, title = '', sort_title, video_id`,
}

// Totals returns the number of videos and segments, from the per-video
// counts kept by Import.
func (s *Store) Totals(ctx context.Context) (catalog.Totals, error) {
	return s.CountVideos(ctx, "")
}

// Videos returns up to limit videos ordered by title, skipping offset.
func (s *Store) Videos(ctx context.Context, offset, limit int) ([]catalog.Video, error) {
	return s.FindVideos(ctx, catalog.VideoQuery{Sort: catalog.SortTitle, Offset: offset, Limit: limit})
}

// FindVideos returns the page of videos q selects, in its order.
func (s *Store) FindVideos(ctx context.Context, q catalog.VideoQuery) ([]catalog.Video, error) {
	sort := q.Sort
	if sort == "" {
		sort = catalog.SortNewest
	}
	order, ok := orderBy[sort]
	if !ok {
		return nil, fmt.Errorf("postgres: videos: unknown order %q", q.Sort)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT `+videoColumns+` FROM videos WHERE ($1 = '' OR channel_id = $1)
		ORDER BY `+order+` LIMIT $2 OFFSET $3`, q.ChannelID, q.Limit, q.Offset)
	if err != nil {
		return nil, fmt.Errorf("postgres: videos: %w", err)
	}
	vs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalog.Video, error) { return scanVideo(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: videos: %w", err)
	}
	return vs, nil
}

// CountVideos returns the number of videos and segments of a channel, or
// of the whole catalog when channelID is "".
func (s *Store) CountVideos(ctx context.Context, channelID string) (catalog.Totals, error) {
	var t catalog.Totals
	if err := s.pool.QueryRow(ctx, `
		SELECT count(*), coalesce(sum(segment_count), 0) FROM videos WHERE ($1 = '' OR channel_id = $1)`,
		channelID).Scan(&t.Videos, &t.Segments); err != nil {
		return catalog.Totals{}, fmt.Errorf("postgres: count videos: %w", err)
	}
	return t, nil
}

// Video returns one video, or an error wrapping catalog.ErrNotFound.
func (s *Store) Video(ctx context.Context, id string) (catalog.Video, error) {
	v, err := scanVideo(s.pool.QueryRow(ctx, `SELECT `+videoColumns+` FROM videos WHERE video_id = $1`, id))
	if noRows(err) {
		return catalog.Video{}, notFound("video " + id)
	}
	if err != nil {
		return catalog.Video{}, fmt.Errorf("postgres: video %s: %w", id, err)
	}
	return v, nil
}

// Transcript returns every segment of a video in time order.
func (s *Store) Transcript(ctx context.Context, videoID string) ([]catalog.Segment, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, start_second, end_second, text, speaker FROM segments
		WHERE video_id = $1 ORDER BY start_second`, videoID)
	if err != nil {
		return nil, fmt.Errorf("postgres: transcript %s: %w", videoID, err)
	}
	segs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalog.Segment, error) {
		seg := catalog.Segment{VideoID: videoID}
		err := r.Scan(&seg.ID, &seg.Start, &seg.End, &seg.Text, &seg.Speaker)
		return seg, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: transcript %s: %w", videoID, err)
	}
	return segs, nil
}

// Chapters returns a video's chapters in time order.
func (s *Store) Chapters(ctx context.Context, videoID string) ([]catalog.Chapter, error) {
	rows, err := s.pool.Query(ctx, `SELECT start_second, title FROM chapters WHERE video_id = $1 ORDER BY start_second`, videoID)
	if err != nil {
		return nil, fmt.Errorf("postgres: chapters %s: %w", videoID, err)
	}
	chs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[catalog.Chapter])
	if err != nil {
		return nil, fmt.Errorf("postgres: chapters %s: %w", videoID, err)
	}
	return chs, nil
}

// Speakers returns who speaks in a video, those with most segments first.
func (s *Store) Speakers(ctx context.Context, videoID string) ([]catalog.Speaker, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT speaker, count(*) FROM segments WHERE video_id = $1 AND speaker <> ''
		GROUP BY speaker ORDER BY count(*) DESC, speaker COLLATE "C"`, videoID)
	if err != nil {
		return nil, fmt.Errorf("postgres: speakers %s: %w", videoID, err)
	}
	ss, err := pgx.CollectRows(rows, pgx.RowToStructByPos[catalog.Speaker])
	if err != nil {
		return nil, fmt.Errorf("postgres: speakers %s: %w", videoID, err)
	}
	return ss, nil
}

// RepeatedIn returns the segments of a video that are repeated text, by
// id, each with its cluster and the number of videos it is said in.
func (s *Store) RepeatedIn(ctx context.Context, videoID string) (map[int64]catalog.Repeat, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT r.segment_id, r.cluster,
			(SELECT count(DISTINCT s2.video_id) FROM repeated_segments r2 JOIN segments s2 ON s2.id = r2.segment_id WHERE r2.cluster = r.cluster)
		FROM repeated_segments r JOIN segments s ON s.id = r.segment_id
		WHERE s.video_id = $1`, videoID)
	if err != nil {
		return nil, fmt.Errorf("postgres: repeated in %s: %w", videoID, err)
	}
	defer rows.Close()
	m := map[int64]catalog.Repeat{}
	for rows.Next() {
		var seg int64
		var r catalog.Repeat
		if err := rows.Scan(&seg, &r.Cluster, &r.Videos); err != nil {
			return nil, fmt.Errorf("postgres: repeated in %s: %w", videoID, err)
		}
		m[seg] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: repeated in %s: %w", videoID, err)
	}
	return m, nil
}

// channelColumns read a channel: its name is the one on its most recently
// published video, as in the SQLite catalog.
const channelColumns = `channel_id,
	(array_agg(channel ORDER BY published DESC, video_id))[1] AS name,
	count(*) AS videos, max(published) AS latest`

func scanChannel(row pgx.Row) (catalog.Channel, error) {
	var ch catalog.Channel
	var latest string
	if err := row.Scan(&ch.ID, &ch.Name, &ch.Videos, &latest); err != nil {
		return catalog.Channel{}, err
	}
	ch.Latest = parseDate(latest)
	return ch, nil
}

// Channels returns every channel, by name.
func (s *Store) Channels(ctx context.Context) ([]catalog.Channel, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT * FROM (SELECT `+channelColumns+` FROM videos WHERE channel_id <> '' GROUP BY channel_id) c
		ORDER BY translate(c.name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C", c.channel_id COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("postgres: channels: %w", err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalog.Channel, error) { return scanChannel(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: channels: %w", err)
	}
	return cs, nil
}

// Channel returns one channel, or an error wrapping catalog.ErrNotFound.
func (s *Store) Channel(ctx context.Context, id string) (catalog.Channel, error) {
	ch, err := scanChannel(s.pool.QueryRow(ctx, `
		SELECT `+channelColumns+` FROM videos WHERE channel_id = $1 AND channel_id <> '' GROUP BY channel_id`, id))
	if noRows(err) {
		return catalog.Channel{}, notFound("channel " + id)
	}
	if err != nil {
		return catalog.Channel{}, fmt.Errorf("postgres: channel %s: %w", id, err)
	}
	return ch, nil
}
