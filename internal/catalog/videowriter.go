package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"
)

// videoOutcome is what an import did to one video.
type videoOutcome int

const (
	videoUnchanged videoOutcome = iota
	videoAdded
	videoUpdated
	videoSkipped // described, but without a transcript anywhere
)

// videoWriter stores the videos of an import, inside its transaction.
type videoWriter struct {
	existing, insert, update, chapters, dropChapters, addChapter, refresh *sql.Stmt
}

func prepareVideoWriter(ctx context.Context, tx *sql.Tx) (*videoWriter, error) {
	w := &videoWriter{}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.existing, `SELECT title, thumbnail, channel_id, channel, published, description, tags, language, reported_duration_seconds
			FROM videos WHERE video_id = ?`},
		{&w.insert, `INSERT INTO videos (video_id, title, thumbnail, channel_id, channel, published, description, tags, language, reported_duration_seconds, imported_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.update, `UPDATE videos SET title = ?, thumbnail = ?, channel_id = ?, channel = ?, published = ?, description = ?, tags = ?,
				language = ?, reported_duration_seconds = ?, imported_at = CASE WHEN ? THEN ? ELSE imported_at END
			WHERE video_id = ?`},
		{&w.chapters, `SELECT start_second, title FROM chapters WHERE video_id = ? ORDER BY start_second`},
		{&w.dropChapters, `DELETE FROM chapters WHERE video_id = ?`},
		{&w.addChapter, `INSERT INTO chapters (video_id, start_second, title) VALUES (?, ?, ?)`},
		// The length is the source's when it says, else where the
		// transcript ends.
		{&w.refresh, `
			UPDATE videos SET
				segment_count = (SELECT count(*) FROM segments WHERE video_id = ?1),
				duration_seconds = CASE WHEN reported_duration_seconds > 0 THEN reported_duration_seconds
					ELSE (SELECT coalesce(max(end_second), 0) FROM segments WHERE video_id = ?1) END
			WHERE video_id = ?1`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.stmt = stmt
	}
	return w, nil
}

func (w *videoWriter) close() {
	for _, s := range []*sql.Stmt{w.existing, w.insert, w.update, w.chapters, w.dropChapters, w.addChapter, w.refresh} {
		if s != nil {
			s.Close()
		}
	}
}

// storedVideo is a video's row as an import reads and writes it.
type storedVideo struct {
	title, thumbnail string
	info             VideoInfo // Chapters unused
}

// merged is s with what the import m says laid over it: a field the
// import does not know keeps its stored value; a real thumbnail is not
// replaced by YouTube's default.
func (s storedVideo) merged(id string, m *videoMeta) storedVideo {
	over := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	out := s
	over(&out.title, m.title)
	if m.thumbnail != "" && (m.thumbnail != DefaultThumbnail(id) || out.thumbnail == "") {
		out.thumbnail = m.thumbnail
	}
	// A channel is known by its id and name together: an id is derived
	// from a name alone, a name from an id alone.
	if id, name := m.info.ChannelID, m.info.Channel; id != "" || name != "" {
		if id == "" {
			id = ChannelSlug(name)
		}
		if name == "" {
			name = id
		}
		out.info.ChannelID, out.info.Channel = id, name
	}
	over(&out.info.Published, m.info.Published)
	over(&out.info.Description, m.info.Description)
	over(&out.info.Language, m.info.Language)
	if m.info.Tags != nil {
		out.info.Tags = m.info.Tags
	}
	if m.info.Duration > 0 {
		out.info.Duration = m.info.Duration
	}
	return out
}

func (s storedVideo) equal(o storedVideo) bool {
	return s.title == o.title && s.thumbnail == o.thumbnail && s.info.ChannelID == o.info.ChannelID &&
		s.info.Channel == o.info.Channel && s.info.Published == o.info.Published &&
		s.info.Description == o.info.Description && slices.Equal(s.info.Tags, o.info.Tags) &&
		s.info.Language == o.info.Language && s.info.Duration == o.info.Duration
}

// tagsJSON is the tags column's value: a JSON array, never null.
func tagsJSON(tags []string) string {
	if tags == nil {
		tags = []string{}
	}
	b, _ := json.Marshal(tags) // a []string always marshals
	return string(b)
}

// write stores one video of the import; now is the import's time.
func (w *videoWriter) write(ctx context.Context, id string, m *videoMeta, now string) (videoOutcome, error) {
	if !m.importedAt.IsZero() {
		now = m.importedAt.UTC().Format(time.RFC3339)
	}
	var old storedVideo
	var tags string
	err := w.existing.QueryRowContext(ctx, id).Scan(&old.title, &old.thumbnail, &old.info.ChannelID, &old.info.Channel,
		&old.info.Published, &old.info.Description, &tags, &old.info.Language, &old.info.Duration)
	isNew := errors.Is(err, sql.ErrNoRows)
	if err != nil && !isNew {
		return 0, err
	}
	old.info.Tags = parseTags(tags)
	outcome := videoUnchanged
	v := old.merged(id, m)
	switch {
	case isNew && !m.segments:
		// Only described: a site of transcripts lists no video without one.
		return videoSkipped, nil
	case isNew:
		outcome = videoAdded
		if _, err := w.insert.ExecContext(ctx, id, v.title, v.thumbnail, v.info.ChannelID, v.info.Channel, v.info.Published,
			v.info.Description, tagsJSON(v.info.Tags), v.info.Language, v.info.Duration, now); err != nil {
			return 0, err
		}
	case m.changed || !v.equal(old):
		// imported_at says when the video's transcript last changed: a
		// re-import of the same rows leaves it (and the whole database) as
		// it was.
		outcome = videoUpdated
		if _, err := w.update.ExecContext(ctx, v.title, v.thumbnail, v.info.ChannelID, v.info.Channel, v.info.Published,
			v.info.Description, tagsJSON(v.info.Tags), v.info.Language, v.info.Duration, m.changed, now, id); err != nil {
			return 0, err
		}
	}
	if m.info.Chapters != nil {
		changed, err := w.writeChapters(ctx, id, m.info.Chapters)
		if err != nil {
			return 0, err
		}
		if changed && outcome == videoUnchanged {
			outcome = videoUpdated
		}
	}
	if outcome != videoUnchanged {
		if _, err := w.refresh.ExecContext(ctx, id); err != nil {
			return 0, err
		}
	}
	return outcome, nil
}

// writeChapters replaces a video's chapters with chs, unless they are the
// same, and reports whether they changed.
func (w *videoWriter) writeChapters(ctx context.Context, id string, chs []Chapter) (bool, error) {
	rows, err := w.chapters.QueryContext(ctx, id)
	if err != nil {
		return false, err
	}
	var stored []Chapter
	for rows.Next() {
		var ch Chapter
		if err := rows.Scan(&ch.Start, &ch.Title); err != nil {
			rows.Close()
			return false, err
		}
		stored = append(stored, ch)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return false, err
	}
	rows.Close()
	if slices.Equal(stored, chs) {
		return false, nil
	}
	if _, err := w.dropChapters.ExecContext(ctx, id); err != nil {
		return false, err
	}
	for _, ch := range chs {
		if _, err := w.addChapter.ExecContext(ctx, id, ch.Start, ch.Title); err != nil {
			return false, err
		}
	}
	return true, nil
}
