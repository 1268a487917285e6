package catalog_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/transcripts/site/internal/catalog"
)

func TestFrequentTermsAndPrefixes(t *testing.T) {
	ctx := context.Background()
	c, err := catalog.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	texts := []string{
		"Investors like investing in investment funds",
		"the investor said the runway was short",
		"our runway is eighteen months, said the investor",
		"runways and investors, the same story",
		"the the the the",
	}
	var recs []catalog.Record
	for i, text := range texts {
		recs = append(recs, catalog.Record{VideoID: "vocabvideo1", Start: i * 10, End: i*10 + 10, Text: text, Title: "Vocabulary"})
	}
	if _, err := c.Import(ctx, records(recs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	terms, err := c.FrequentTerms(ctx, 3, 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	// "the" is too short and in every line but one; "investor" (the
	// stem of investor, investors) and "runway" lead, written as they
	// most often are.
	if len(terms) != 3 || terms[0].Stem != "investor" || terms[0].Word != "investor" && terms[0].Word != "investors" || terms[1].Stem != "runwai" || terms[1].Word != "runway" {
		t.Errorf("frequent terms %+v", terms)
	}
	ps, err := c.CommonPrefixes(ctx, 1, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Prefix != "inves" || len(ps[0].Words) != 3 || ps[0].Words[0] != "investor" {
		t.Errorf("prefixes %+v", ps)
	}
}
