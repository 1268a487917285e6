package relevance

import "regexp"

// What marks an earnings call's repeated text. Earnings-21 carries no
// such labels, so these patterns are the ground truth: an operator's
// script (the Operator speaker, or an unnamed speaker reading its lines)
// and the forward-looking-statements notice, which every company words
// its own way.
var (
	scriptPattern = regexp.MustCompile(`(?i)(conference|call) is being recorded|listen[- ]only mode|` +
		`question[- ]and[- ]answer session|press (\*|star)|(first|next|final) question (comes|is) from|` +
		`your line is (now )?open|this concludes|you may (now )?disconnect|please stand by|` +
		`(thank you for|for your) (standing by|participation)|ladies and gentlemen`)
	disclaimerPattern = regexp.MustCompile(`(?i)forward[- ]looking (statement|information)|safe harbou?r|` +
		`(actual )?results (may|could|might) differ materially|undertake no obligation|` +
		`(risks|risk factors) (and uncertainties )?(described|detailed|discussed) in`)
)

// LabelEarnings returns c with the operator's script and the disclaimers
// of Earnings-21's calls marked as repeated text.
func LabelEarnings(c Corpus) Corpus {
	out := make(Corpus, len(c))
	for i, s := range c {
		switch {
		case disclaimerPattern.MatchString(s.Text):
			s.Kind, s.Cluster = Disclaimer, "disclaimer"
		case s.Speaker == "Operator" || scriptPattern.MatchString(s.Text):
			s.Kind, s.Cluster = Script, "operator"
		}
		out[i] = s
	}
	return out
}
