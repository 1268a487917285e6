package catalog_test

import (
	"testing"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

func TestMatchExpr(t *testing.T) {
	tests := []struct{ in, fts string }{
		{"augment", `"augment"`},
		{"decision boundary", `"decision" AND "boundary"`},
		{`"decision boundary"`, `"decision boundary"`},
		{`“curly quotes”`, `"curly quotes"`},
		{"trans*", `"trans"*`},
		{`"neural net"*`, `"neural net"*`},
		{"mixup OR cutmix", `("mixup" OR "cutmix")`},
		{"a b OR c d", `"a" AND ("b" OR "c") AND "d"`},
		{"network -neural", `("network") NOT "neural"`},
		{"network NOT neural -deep", `("network") NOT "neural" NOT "deep"`},
		{`-"a b" c`, `("c") NOT "a b"`},
		{"c++", `"c"`},
		{"what's", `"what s"`},
		{"NEAR(", `"NEAR"`},
		{"AND OR x", `"x"`},
		{"x OR", `"x"`},
		{"naïve", `"naïve"`},
		{`a"b`, `"a" AND "b"`},
	}
	for _, tt := range tests {
		q, err := search.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := catalog.MatchExpr(q); got != tt.fts {
			t.Errorf("MatchExpr(Parse(%q)) = %s, want %s", tt.in, got, tt.fts)
		}
	}
}

func TestMatchExprNear(t *testing.T) {
	q, err := search.Parse(`retention "cohort analysis" onboard* -churn`)
	if err != nil {
		t.Fatal(err)
	}
	q.Near = 8
	if got, want := catalog.MatchExpr(q), `NEAR("retention" "cohort analysis" "onboard"*, 8) NOT "churn"`; got != want {
		t.Errorf("MatchExpr = %s, want %s", got, want)
	}
}
