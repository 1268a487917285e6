package catalog

import (
	"context"
	"fmt"
	"iter"
)

// Records yields the whole catalog as records an import reads: for each
// video (by id), a record of what is known of it, then its segments in
// time order. Importing them into another store (web import -db
// postgres://… transcripts.db) copies the collection; what derives from
// it (repeated text, the vocabulary) the import computes anew, and
// operators' verdicts on repeated text stay behind. Videos come in the
// order they were imported, each with its import time. Pos names the file
// and the video.
func (c *Catalog) Records(ctx context.Context, name string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		// In the order they were imported (their first lines' ids), so
		// the copy lists the newest first as the original does.
		rows, err := c.db.QueryContext(ctx, `SELECT video_id, title, thumbnail, channel_id, channel, published, description, tags,
			language, reported_duration_seconds, imported_at FROM videos
			ORDER BY (SELECT min(id) FROM segments s WHERE s.video_id = videos.video_id), video_id`)
		if err != nil {
			yield(Record{}, fmt.Errorf("%s: %w", name, err))
			return
		}
		var videos []Record
		for rows.Next() {
			var r Record
			var in VideoInfo
			var tags, imported string
			if err := rows.Scan(&r.VideoID, &r.Title, &r.Thumbnail, &in.ChannelID, &in.Channel, &in.Published, &in.Description,
				&tags, &in.Language, &in.Duration, &imported); err != nil {
				rows.Close()
				yield(Record{}, fmt.Errorf("%s: %w", name, err))
				return
			}
			in.Tags = parseTags(tags)
			r.ImportedAt = parseTime(imported)
			r.Info, r.InfoOnly, r.Pos = &in, true, name+": video "+r.VideoID
			videos = append(videos, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			yield(Record{}, fmt.Errorf("%s: %w", name, err))
			return
		}
		for _, v := range videos {
			chapters, err := c.Chapters(ctx, v.VideoID)
			if err != nil {
				yield(Record{}, fmt.Errorf("%s: %w", name, err))
				return
			}
			v.Info.Chapters = chapters
			if !yield(v, nil) {
				return
			}
			segs, err := c.Transcript(ctx, v.VideoID)
			if err != nil {
				yield(Record{}, fmt.Errorf("%s: %w", name, err))
				return
			}
			for _, s := range segs {
				r := Record{Pos: v.Pos, VideoID: v.VideoID, Title: v.Title, Thumbnail: v.Thumbnail,
					Text: s.Text, Start: s.Start, End: s.End, Speaker: s.Speaker, ImportedAt: v.ImportedAt}
				if !yield(r, nil) {
					return
				}
			}
		}
	}
}
