package catalog

import (
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A database made before migration 0006 upgrades in place: its rows gain
// the new columns' defaults, sort by their normalised title, and the file
// still opens in the sqlite3 shell.
func TestMetadataMigrationUpgradesInPlace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	name, err := dsn(path, true, false)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", name)
	if err != nil {
		t.Fatal(err)
	}
	old := newCatalog(db, path, nil, nil)
	if _, err := db.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))`); err != nil {
		t.Fatal(err)
	}
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version < 6 {
			if err := old.apply(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, q := range []string{
		`INSERT INTO videos (video_id, title, imported_at) VALUES ('aaaaaaaaaaa', '"Quoted" talk', '2024-01-01T00:00:00Z'), ('bbbbbbbbbbb', 'Plain talk', '2024-01-01T00:00:00Z')`,
		`INSERT INTO segments (video_id, start_second, end_second, text) VALUES ('aaaaaaaaaaa', 0, 5, 'hello there')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	c, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v, err := c.SchemaVersion(ctx); err != nil || v < 6 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	vs, err := c.FindVideos(ctx, VideoQuery{Sort: SortTitle, Limit: 10})
	if err != nil || len(vs) != 2 || vs[0].ID != "bbbbbbbbbbb" || vs[1].ID != "aaaaaaaaaaa" {
		t.Fatalf("videos by title %+v, %v (want Plain talk before \"Quoted\" talk)", vs, err)
	}
	if v := vs[1]; v.Channel != "" || !v.Published.IsZero() || v.Tags != nil || v.Language != "" {
		t.Errorf("upgraded video %+v", v)
	}
	segs, err := c.Transcript(ctx, "aaaaaaaaaaa")
	if err != nil || len(segs) != 1 || segs[0].Speaker != "" {
		t.Errorf("upgraded transcript %+v, %v", segs, err)
	}

	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 shell to open the file with")
	}
	out, err := exec.Command(shell, "-readonly", path, `SELECT video_id, sort_title, tags FROM videos ORDER BY sort_title; SELECT count(*) FROM chapters;`).CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
	if want := "bbbbbbbbbbb|plain talk|[]\naaaaaaaaaaa|quoted\" talk|[]\n0\n"; string(out) != want {
		t.Errorf("sqlite3 reads\n%s\nwant\n%s", out, want)
	}
	if strings.Contains(string(out), "malformed") {
		t.Error(string(out))
	}
}
