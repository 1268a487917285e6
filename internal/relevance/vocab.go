package relevance

import "strings"

// topic is the vocabulary a stretch of conversation draws on. Lists are
// ordered roughly from common to rare: words are drawn with a skew towards
// the front, so each topic has a head of everyday words and a long tail
// that makes a segment findable by a few of its words.
type topic struct {
	name  string
	nouns []string
	verbs []string // base forms: "to ___", "you ___"
	adjs  []string
	terms []string // multi-word phrases said as one
	asks  []string // what a host asks, with %s for the guest's first name
}

func fields(s string) []string { return strings.Fields(s) }

func phrases(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// topics are the subjects the shows talk about; they overlap on purpose
// (hiring and managers, retention and pricing, compliance and startups).
var topics = []topic{
	{
		name: "startups",
		nouns: fields(`product founders customers startup idea market company cofounder users problem traction
			prototype launch feedback pivot roadmap competitors niche demo incubator accelerator garage
			spreadsheet landing_page waitlist beta mvp equity vesting burnout weekend bootstrapping
			marketplace platform wedge distribution partnerships integrations pipeline enterprise
			freelancers contractors agency consultancy side_project hackathon dorm basement coworking
			whiteboard napkin sketch mockups wireframes prototype storefront checkout inventory warehouse
			supplier logistics shipment packaging kickstarter crowdfunding patent trademark lawyer
			incorporation delaware bylaws boardroom advisor mentor cohort demo_day batch
			hardware firmware soldering chipset factory shenzhen tooling molds certification recall
			subscription download appstore ratings viral referral waitlist invite dogfooding telemetry
			changelog outage postmortem uptime datacenter kubernetes monolith microservices rewrite
			regret gamble hunch epiphany breakthrough setback layoffs acquihire acquisition exit`),
		verbs: fields(`build ship launch validate test pivot iterate scrape bootstrap hustle prototype sketch
			interview survey sell demo pitch onboard integrate migrate rewrite refactor outsource automate
			prioritize deprioritize sunset relaunch incorporate patent manufacture assemble`),
		adjs: fields(`early scrappy lean tiny painful obvious crowded underserved vertical horizontal
			technical nontechnical profitable ramen bootstrapped venture-backed stealth seed-stage
			clunky janky polished brittle duct-taped half-baked overengineered contrarian`),
		terms: phrases(`product market fit; minimum viable product; go to market; talking to customers; the first ten customers;
			do things that don't scale; founder market fit; technical cofounder; default alive; ramen profitable;
			the riskiest assumption; a painkiller not a vitamin; design partners; the waitlist; shipping every day`),
		asks: phrases(`so %s, take me back to the very beginning, where did the idea come from;
			%s, how did you know you had product market fit;
			what would you do differently if you started the company again, %s;
			%s, how did you find your cofounder`),
	},
	{
		name: "hiring",
		nouns: fields(`candidates interview recruiter offer salary equity referral pipeline hire role resume
			headcount backfill sourcing outreach linkedin inbound take-home_assignment whiteboard panel
			debrief scorecard rubric bar_raiser loop onsite screen phone_screen reference references
			salary_bands leveling ladder title seniority generalist specialist contractor agency
			headhunter retainer placement diversity bias pedigree bootcamp apprenticeship internship
			intern newgrad veteran relocation visa sponsorship counteroffer exploding_offer signing_bonus
			clawback noncompete culture values mission fit chemistry instinct gut red_flags green_flags
			portfolio github side_projects attrition turnover churn exit_interview alumni boomerang
			job_description job_post careers_page employer_brand glassdoor_reviews perks benefits
			parental_leave stipend`),
		verbs: fields(`hire recruit source interview screen evaluate calibrate close negotiate reject
			ghost poach counter relocate level promote onboard shadow vet reference check headhunt
			backfill scale`),
		adjs: fields(`senior junior mid-level overqualified underqualified talented coachable humble
			hungry spiky well-rounded structured unstructured biased blind remote-first competitive
			lowball generous scrappy`),
		terms: phrases(`hiring manager; the first engineering hire; culture fit; a take home exercise; the interview loop;
			hire slow fire fast; the offer letter; a hiring committee; the talent market; time to hire;
			sell the candidate; the reference call; structured interviews; the hiring bar`),
		asks: phrases(`%s, what does your interview process look like today;
			how do you think about the first ten hires, %s;
			%s, have you ever made a bad hire, and how did you know;
			what do you look for in a candidate, %s`),
	},
	{
		name: "managers",
		nouns: fields(`manager managers team reports feedback one-on-ones meetings delegation promotion
			review reviews performance expectations trust conflict calendar agenda standup retro
			retrospective offsite coaching mentorship sponsorship career_growth ladder promotion_packet
			calibration underperformer pip performance_improvement_plan morale burnout workload priorities
			escalation stakeholders alignment visibility micromanagement autonomy ownership accountability
			praise criticism radical_candor empathy vulnerability imposter_syndrome identity transition
			individual_contributor peers skip-level director vp span_of_control reorg headcount budget
			roadmap planning okrs goals metrics dashboards status_update memo writeup documentation
			decision_log handoff onboarding buddy ritual cadence lunch walk whiteboard`),
		verbs: fields(`manage delegate coach mentor listen praise criticize escalate align prioritize
			unblock shield promote demote reorganize facilitate mediate empower trust check-in
			micromanage document`),
		adjs: fields(`first-time new accidental reluctant overwhelmed lonely awkward honest direct kind
			blunt vague specific actionable psychological safe toxic healthy quiet
			high-performing struggling`),
		terms: phrases(`first time managers; first-time manager; one on one; giving feedback; the hardest conversation;
			managing former peers; from engineer to manager; the manager's job; psychological safety;
			delegating the work; a performance review; the skip-level meeting; advice for new managers;
			radical candor; managing up`),
		asks: phrases(`%s, what advice would you give to first time managers;
			what was the hardest part of becoming a manager, %s;
			%s, how do you give feedback that actually lands;
			how did you learn to delegate, %s`),
	},
	{
		name: "pricing",
		nouns: fields(`price pricing product plan plans tier tiers discount discounts annual monthly seat
			seats usage value packaging freemium trial paywall upgrade downgrade invoice
			procurement quote contract renewal margin margins cost costs competitors anchor anchoring
			decoy premium enterprise starter pro add-ons overage credits metering billing stripe
			checkout coupon promo lifetime_deal grandfathering increase hike backlash elasticity
			conjoint_survey Van_Westendorp calculator spreadsheet list_price sticker_shock negotiation
			procurement buyer champion budget cfo roi payback benchmark benchmarks positioning
			localization currency purchasing_power_parity`),
		verbs: fields(`price charge discount bundle unbundle package upsell cross-sell raise lower
			grandfather meter bill invoice negotiate anchor justify test segment localize monetize
			undercharge overcharge`),
		adjs: fields(`cheap expensive premium flat usage-based per-seat value-based cost-plus tiered
			transparent hidden annual monthly self-serve sales-led enterprise-grade generous stingy`),
		terms: phrases(`how to price your product; value based pricing; willingness to pay; price increase;
			the free tier; per seat pricing; usage based pricing; annual contracts; the pricing page;
			raise your prices; charge more; good better best; price anchoring; a pricing experiment;
			discounting to close`),
		asks: phrases(`%s, how should a founder price their product;
			when did you last raise your prices, %s;
			%s, how did you decide what goes in each tier;
			how do you think about discounting, %s`),
	},
	{
		name: "retention",
		nouns: fields(`retention cohort cohorts onboarding churn activation engagement users funnel
			dashboard analytics metric metrics habit notifications emails drip checklist tooltip
			walkthrough tutorial aha_moment signup signups dropoff resurrection reactivation
			winback cancellation survey nps csat support_tickets success_manager health_score
			expansion downgrade renewal usage frequency stickiness dau_mau_ratio curve curves
			smile_curve flattening baseline segment segments power_users lurkers persona jobs
			experiment experiments ab_test holdout control variant lift significance sample`),
		verbs: fields(`retain activate engage onboard churn measure segment instrument nudge notify
			email reactivate resurrect survey interview cancel renew expand flatten track experiment`),
		adjs: fields(`sticky leaky weekly daily monthly cohort-based flat declining activated dormant
			churned engaged passive habitual seasonal statistically significant`),
		terms: phrases(`retention curves; net revenue retention; the onboarding flow; time to value; the aha moment;
			day thirty retention; cohort analysis; leaky bucket; churned users; the activation metric;
			the first session; weekly active users; a cancellation flow; customer success`),
		asks: phrases(`%s, how do you think about retention in the first week;
			what did you change in onboarding, %s;
			%s, how do you read a cohort chart;
			when do you know churn is a problem, %s`),
	},
	{
		name: "compliance",
		nouns: fields(`compliance audit auditor auditors SOC_2_report controls evidence policies policy gdpr hipaa
			iso certification security_questionnaire questionnaires vendor vendors risk_assessment
			penetration_test encryption access reviews logging retention breach incident_response
			regulator regulators fines privacy consent cookie_banner data_processing_agreement dpa
			subprocessor subprocessors attestation framework frameworks checklist spreadsheet
			screenshots tickets jira change_management background_checks training phishing laptop
			mdm offboarding least_privilege sso mfa keys secrets rotation backups disaster_recovery
			continuity trust_center procurement legal_counsel fedramp pci sox ccpa`),
		verbs: fields(`audit comply certify attest encrypt log monitor review remediate document
			collect enforce rotate revoke onboard offboard disclose report assess mitigate`),
		adjs: fields(`compliant noncompliant audit-ready regulated continuous manual automated
			painful expensive mandatory voluntary overdue material sensitive personal`),
		terms: phrases(`soc 2 type two; the security questionnaire; a data breach; the audit window; evidence collection;
			access reviews; least privilege; the right to be forgotten; a data processing agreement;
			incident response plan; vendor risk; compliance as a checkbox; the trust center`),
		asks: phrases(`%s, when should a startup start thinking about compliance;
			what was your first soc 2 audit like, %s;
			%s, is compliance just a checkbox for enterprise deals;
			how do you handle security questionnaires, %s`),
	},
	{
		name: "fundraising",
		nouns: fields(`round investors vc vcs angel angels seed series_a valuation dilution term_sheet
			pitch_deck partner partners fund funds lp lps runway burn bridge_round convertible_note safe cap_table
			pro_rata board_seat diligence data_room traction narrative memo warm_intro intros
			cold_email meeting meetings rejection rejections lead syndicate oversubscribed down_round
			flat_round extension convertible discount cap liquidation_preference participation
			option_pool secondary tender ipo spac mandate thesis portfolio ownership signaling
			fomo momentum hype downturn winter`),
		verbs: fields(`raise pitch close dilute negotiate lead follow syndicate extend bridge pass
			decline reject invest allocate diligence fundraise`),
		adjs: fields(`pre-seed oversubscribed founder-friendly predatory dilutive hot cold frothy
			disciplined contrarian strategic institutional`),
		terms: phrases(`the term sheet; a down round; the pitch deck; our seed round; the series a; runway of eighteen months;
			the lead investor; a warm intro; the cap table; liquidation preference; the option pool;
			a bridge round; fundraising is a full time job`),
		asks: phrases(`%s, walk me through your first fundraise;
			how many investors did you talk to before the first yes, %s;
			%s, what's in a great pitch deck;
			what would you tell founders raising in this market, %s`),
	},
	{
		name: "machine learning",
		nouns: fields(`model models data dataset datasets training labels features embeddings
			transformer transformers gpu gpus inference latency accuracy precision recall
			evaluation benchmark benchmarks overfitting regularization gradient loss optimizer
			hyperparameters validation test_set baseline pipeline annotation annotators drift
			monitoring fine-tuning prompt prompts tokens context_window hallucination retrieval
			vector_database classifier regression clustering recommendation ranking search
			augmentation synthetic distillation quantization checkpoint notebook kaggle arxiv
			paper papers researchers compute cluster`),
		verbs: fields(`train label fine-tune evaluate deploy serve monitor retrain annotate
			augment distill quantize benchmark overfit generalize predict cluster rank embed`),
		adjs: fields(`supervised unsupervised contrastive noisy imbalanced generative discriminative
			pretrained lightweight deterministic probabilistic interpretable biased robust`),
		terms: phrases(`machine learning; training data; the eval set; model drift; large language models;
			the labeling budget; feature engineering; a baseline model; in production; data quality;
			the long tail; human in the loop; retrieval augmented generation`),
		asks: phrases(`%s, where does machine learning actually help a small company;
			how do you evaluate a model before it ships, %s;
			%s, what's the most underrated part of the data pipeline;
			how do you deal with drift in production, %s`),
	},
	{
		name: "health",
		nouns: fields(`sleep exercise stress diet protein sugar caffeine alcohol steps running
			strength_training cardio mobility stretching recovery injury back_pain posture
			doctor therapist therapy anxiety burnout meditation breathing journaling walking
			hydration supplements vitamin magnesium bloodwork cholesterol blood_pressure
			heart_rate zone_two vo2_max wearable tracker rings circadian_rhythm sunlight
			naps insomnia melatonin screens bedtime_routine habits`),
		verbs: fields(`sleep rest recover stretch walk run lift breathe meditate journal fast
			hydrate track measure unwind relax`),
		adjs: fields(`chronic acute sedentary active restful anxious exhausted healthy balanced
			sustainable consistent gradual`),
		terms: phrases(`eight hours of sleep; zone two training; a morning routine; mental health;
			the founder burnout; walking meetings; screen time before bed; a rest day;
			your resting heart rate`),
		asks: phrases(`%s, how do you protect your sleep with a newborn and a company;
			what does your week of exercise look like, %s;
			%s, when did you realise you were burning out;
			how do you handle stress now, %s`),
	},
	{
		name: "cooking",
		nouns: fields(`recipe recipes kitchen knife pan skillet oven stove garlic onion onions butter
			olive_oil salt pepper lemon herbs basil cilantro thyme rosemary pasta noodles rice
			bread dough sourdough starter flour yeast broth stock sauce marinade vinaigrette
			chicken_thighs salmon tofu beans lentils chickpeas eggs cheese parmesan tomatoes
			mushrooms spinach cabbage kimchi miso soy_sauce ginger chili cumin paprika cinnamon
			braise roast sear stew curry dumplings tacos tortillas leftovers pantry fridge freezer
			meal_prep dinner lunch breakfast grocery farmers_market`),
		verbs: fields(`chop dice mince sear roast braise simmer boil bake knead proof season taste
			marinate whisk fold caramelize deglaze ferment pickle`),
		adjs: fields(`crispy golden tender caramelized fermented smoky tangy spicy salty sweet
			savory creamy crunchy fresh seasonal homemade`),
		terms: phrases(`cast iron skillet; a weeknight dinner; meal prep on sunday; the sourdough starter;
			salt fat acid heat; brown butter; a pot of beans; the maillard reaction; mise en place;
			a sheet pan dinner`),
		asks: phrases(`%s, what do you cook on a tuesday night;
			what's the one technique every home cook should learn, %s;
			%s, how did you get into fermentation;
			what's always in your pantry, %s`),
	},
	{
		name: "marketing",
		nouns: fields(`marketing brand content newsletter seo blog posts audience community twitter
			podcast youtube videos ads campaign campaigns conversion landing_page copy headline
			positioning messaging launch product_hunt press journalist influencers affiliates
			webinar events conference booth swag funnel leads mql sql attribution budget cac
			ltv payback channel channels organic paid viral loops referrals word_of_mouth
			testimonials case_studies`),
		verbs: fields(`market advertise position promote publish write rank convert nurture
			target retarget sponsor launch amplify distribute`),
		adjs: fields(`organic paid viral niche broad authentic catchy memorable cringe evergreen
			bottom-of-funnel top-of-funnel`),
		terms: phrases(`word of mouth; content marketing; customer acquisition cost; the launch day; a case study;
			building in public; the newsletter; product led growth; brand awareness; the ideal customer profile`),
		asks: phrases(`%s, what's the one channel that worked for you;
			how did you think about your brand early on, %s;
			%s, did the launch actually matter;
			how do you measure marketing you can't attribute, %s`),
	},
	{
		name: "remote work",
		nouns: fields(`remote office timezones async meetings slack zoom video_calls documentation
			handbook offsite retreat coworking home_office desk chair monitor headphones
			commute flexibility loneliness isolation focus deep_work notifications calendar
			overlap_hours handoff writing_culture rituals watercooler onboarding equipment stipend`),
		verbs: fields(`collaborate document write record meet overlap disconnect focus commute
			travel gather hire`),
		adjs: fields(`remote hybrid distributed async synchronous colocated flexible lonely
			focused fragmented`),
		terms: phrases(`remote first; async communication; time zone overlap; the company offsite;
			working from home; the writing culture; meeting free days; return to office`),
		asks: phrases(`%s, how does a remote team stay close;
			what did you change when you went remote, %s;
			%s, how do you run meetings across time zones;
			do you miss the office, %s`),
	},
}

// general is what people say on any topic.
var general = struct {
	nouns, verbs, adjs []string
}{
	nouns: fields(`people team thing things time year years company way problem idea question story
		lesson mistake conversation point part process week month day money work job friend
		friends family moment decision reason example experience advice approach answer world
		number chance risk version book podcast`),
	verbs: fields(`think figure out try learn start change build make see understand remember
		realize decide focus keep tell ask help notice explain admit`),
	adjs: fields(`hard big small interesting important different real simple tricky weird good
		bad scary exciting honest surprising obvious`),
}

// Names of people: hosts and guests are drawn from these.
var (
	firstNames = fields(`Maya Daniel Priya Tom Lena Rosa Sam Grace Omar Hannah Kenji Ama Luis Sofia
		Marcus Elena Ravi Chloe Tunde Ingrid Diego Aisha Felix Nora Jonah Mei Carlos Yuki Amara Ben
		Leila Victor Zoe Arjun Freya Malik Ines Patrick Sunita Theo Alma Wei Olu Beatriz Rhys Nadia
		Emeka Greta Hugo Camila Tariq Lucy Mateo Anika Joel Ruth Kofi Sienna Anton Farah`)
	lastNames = fields(`Okafor Whitfield Raman Becker Park Jimenez Carter Liu Haddad Brennan Tanaka Mensah
		Herrera Rossi Bell Petrova Iyer Dubois Adeyemi Lund Morales Siddiqui Wagner Quinn Abrams Chen
		Alvarez Sato Nwosu Hart Kaplan Novak Fischer Mehta Larsen Osei Ferreira Doyle Kapoor Berg
		Romero Zhang Adebayo Costa Price Volkova Eze Strand Moreau Navarro Rahman Fletcher Cruz Bhatt
		Lindqvist Coleman Asante Reyes Kowalski Farouk`)
	companies = fields(`Northwind Brightloop Tandem Quillstack Harborlight Fernweh Cobaltline Mapleworks
		Parcelry Lumenfold Orchardly Kitebase Ridgepoint Saltmarsh Veloxa Greyhaven Pebbleton Sundial
		Tidewater Ironbark Copperleaf Wrenfield Bluejay Foxglove`)
	roles = phrases(`the founder and CEO of %s; a cofounder of %s; the head of engineering at %s;
		the VP of product at %s; the head of people at %s; the chief of staff at %s; a partner who invested early in %s;
		the head of growth at %s; the CTO of %s; a former director at %s; the head of data at %s`)
)
