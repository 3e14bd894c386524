package generate

// This file holds the fictional world the generator writes about: the
// organisation, its sites, plans, doctors and the people who post. Every
// name and phrase here is invented for Earshot.

// orgName is the fictional health plan and hospital system.
const orgName = "Lone Star Health"

// orgHandle is the organisation's own account on social platforms.
const orgHandle = "lonestarhealth"

// site is one hospital or clinic of the organisation.
type site struct {
	name    string // full name, used as the place hint
	short   string // how people usually say it
	city    string
	address string
	slug    string // Yelp business slug and review channel name
	cid     string // Google Maps listing id
	channel string // the listing as an Earshot channel
}

var sites = [...]site{
	{"Lone Star Health Austin Medical Center", "Austin Medical Center", "Austin",
		"1400 Riverside Pkwy, Austin, TX 78741", "lone-star-health-austin-medical-center-austin", "7342918840165523019", "lsh-austin"},
	{"Lone Star Health Mission Hospital", "Mission Hospital", "San Antonio",
		"4100 Mission Trail Dr, San Antonio, TX 78214", "lone-star-health-mission-hospital-san-antonio", "1189024456371180442", "lsh-mission"},
	{"Lone Star Health Round Rock Clinic", "the Round Rock clinic", "Round Rock",
		"250 Brushy Creek Blvd, Round Rock, TX 78664", "lone-star-health-round-rock-clinic-round-rock", "5560731298844120917", "lsh-roundrock"},
}

// siteWeight is each site's share of mentions.
var siteWeight = []int{45, 35, 20}

var siteNicks = [len(sites)][]string{
	{"Austin Medical Center", "the Austin hospital", "AMC", "Riverside"},
	{"Mission Hospital", "Mission", "the San Antonio hospital", "Mission Trail"},
	{"the Round Rock clinic", "Round Rock urgent care", "the clinic on Brushy Creek", "Round Rock"},
}

var products = []string{
	"Lone Star Select PPO", "Bluebonnet HMO", "Lone Star Senior Advantage",
	"Marketplace Silver 3000", "Essentials Bronze plan", "Lone Star Kids plan",
	"PPO", "HMO", "Medicare Advantage plan", "marketplace plan", "employer plan",
}

var doctors = []string{
	"Dr. Alvarez", "Dr. Nguyen", "Dr. Okafor", "Dr. Brennan", "Dr. Whitfield",
	"Dr. Castellanos", "Dr. Hargrove", "Dr. Mehta", "Dr. Lindqvist", "Dr. Kowalczyk",
	"Dr. Ramírez", "Dr. Sato", "Dr. Delacroix", "Dr. Fairbanks", "Dr. Oyelaran",
	"Dr. Petrosyan", "Dr. Treviño", "Dr. Abernathy", "Dr. Quintero", "Dr. Haddad",
}

var specialties = []string{
	"cardiologist", "dermatologist", "pediatrician", "OB-GYN", "orthopedic surgeon",
	"endocrinologist", "primary care doctor", "therapist", "allergist", "ENT",
	"neurologist", "rheumatologist", "psychiatrist", "GI doctor",
}

var departments = []string{
	"ER", "billing office", "radiology", "lab", "pharmacy", "front desk",
	"maternity ward", "pediatrics unit", "urgent care", "imaging center",
	"physical therapy", "admissions", "cardiology floor", "infusion center",
}

var nurses = []string{
	"Kayla", "Marisol", "Derek", "Tameka", "Jorge", "Brittany", "Anh", "Rosa",
	"Colton", "Precious", "Imelda", "Trent", "Shanice", "Luis", "Bethany", "Ngozi",
}

var drugs = []string{
	"insulin", "inhaler", "metformin", "blood pressure meds", "sertraline",
	"levothyroxine", "atorvastatin", "epinephrine pens", "seizure meds",
	"ADHD meds", "semaglutide", "prenatal vitamins", "lisinopril", "albuterol",
}

var services = []string{
	"a sleep study", "hearing aids", "physical therapy", "an MRI", "a colonoscopy",
	"breast pumps", "bariatric surgery", "allergy shots", "chiropractic visits",
	"mental health visits", "a CGM", "fertility testing", "telehealth visits",
}

var holdTimes = []string{
	"45 minutes", "an hour", "2 hours", "90 min", "3 hrs", "an hour and a half",
	"57 minutes", "2+ hours", "over an hour", "40 min", "two and a half hours", "75 minutes",
}

var dayCounts = []string{
	"3 weeks", "two weeks", "10 days", "a month", "6 weeks", "since November",
	"5 weeks", "12 days", "almost two months", "a week and a half", "since before Christmas",
}

var erWaits = []string{
	"5 hours", "7 hrs", "six hours", "4 and a half hours", "9 hours", "8 hrs",
	"3 hours", "over 6 hours", "ELEVEN hours", "5+ hours",
}

var months = []string{"January", "December", "November", "October", "September", "last month"}

var weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "next week"}

var clocks = []string{"9:40", "10:15am", "11:02", "noon", "1:30", "2pm", "3:45", "4:10pm"}

var agentSigs = []string{"^KM", "^DR", "^TL", "^AJ", "^MB", "^SP", "-Renee", "-Marcus", "-Alicia", ""}

var orgX = []string{"@lonestarhealth", "@lonestarhealth", "@lonestarhealth", "@LoneStarHealth", "Lone Star Health", "lone star"}

var orgOther = []string{"Lone Star Health", "Lone Star Health", "Lone Star", "LSH", "lone star health"}

var emojiNeg = []string{"😡", "🙄", "😤", "🤬", "😩", "💸", "😭", "🤦‍♀️", "🤦", "😒", "👎", "🙃", "😫"}

var emojiPos = []string{"❤️", "🙏", "💙", "😊", "🥰", "👏", "🙌", "💯", "✨", "🤩", "🫶"}

var tagsNeg = []string{
	"#healthcare", "#insurance", "#fail", "#customerservice", "#HealthInsurance",
	"#onhold", "#billing", "#LoneStarHealth", "#frustrated", "#ATX", "#SATX", "#healthcarecosts",
}

var tagsPos = []string{
	"#nurses", "#grateful", "#LoneStarHealth", "#healthcareheroes", "#thankyou",
	"#NewbornBaby", "#SanAntonio", "#nurselife", "#ATX", "#blessed",
}

// openers may start an inbound social post; the empty string is common.
var openersNeg = []string{
	"", "", "", "", "", "Ugh. ", "PSA: ", "Unbelievable. ", "So… ", "Day 3 of this: ",
	"Not again. ", "Honestly? ", "Hey ", "Rant incoming. ", "Can someone explain this? ",
}

var openersNeutral = []string{"", "", "", "", "Hi! ", "Hello, ", "Quick question: ", "Hey, ", "Hi there, ", "Random q: "}

// Author names. A mix that looks like central Texas.
var firstNames = []string{
	"Maria", "James", "Jessica", "Jose", "Ashley", "Michael", "Brittany", "David",
	"Guadalupe", "Tyler", "Linh", "Robert", "Priya", "Darnell", "Sarah", "Juan",
	"Emily", "Carlos", "Keisha", "Chris", "Veronica", "Hunter", "Mei", "Anthony",
	"Rosa", "Brandon", "Fatima", "Kevin", "Lauren", "Miguel", "Destiny", "Cody",
	"Amanda", "Luis", "Tran", "Heather", "Andre", "Sofia", "Wade", "Aaliyah",
	"Patricia", "Ricardo", "Hannah", "Marcus", "Yesenia", "Brian", "Deborah", "Omar",
}

var lastNames = []string{
	"Gonzalez", "Smith", "Hernandez", "Johnson", "Garcia", "Williams", "Martinez",
	"Brown", "Nguyen", "Lopez", "Davis", "Rodriguez", "Patel", "Wilson", "Perez",
	"Jackson", "Sanchez", "Tran", "Moore", "Flores", "Taylor", "Rivera", "Thomas",
	"Castillo", "Washington", "Le", "Anderson", "Reyes", "Okonkwo", "Kim", "Mendoza",
	"Holloway", "Villarreal", "Pham", "Guerrero", "Bishop", "Salinas", "Huang",
}

var handleWords = []string{
	"atx", "satx", "tx", "texan", "mama", "dad", "runner", "bbq", "longhorn",
	"coffee", "nurse", "teacher", "vet", "gamer", "fit", "cowgirl", "tacos",
	"bluebonnet", "hillcountry", "momof3", "girldad", "retired", "rn", "spurs",
}

var locations = []string{
	"Austin, TX", "Austin, TX", "San Antonio, TX", "San Antonio, TX", "Round Rock, TX",
	"Pflugerville, TX", "Georgetown, TX", "Cedar Park, TX", "New Braunfels, TX",
	"San Marcos, TX", "Killeen, TX", "Waco, TX", "Houston, TX", "Dallas, TX",
	"ATX", "SATX 🌵", "Texas", "Hill Country", "somewhere in TX", "", "", "",
}

// outlet is a news site or blog that writes about the organisation.
type outlet struct {
	id, handle, name, domain, section string
	followers                         int64
}

var newsOutlets = []outlet{
	{"feed-cth", "centraltexasherald", "Central Texas Herald", "www.centraltexasherald.com", "health", 182000},
	{"feed-sacourier", "sacourier", "San Antonio Courier", "www.sacourier.com", "news/local", 241000},
	{"feed-rrledger", "roundrockledger", "Round Rock Ledger", "www.roundrockledger.com", "community", 23500},
	{"feed-txhealthbiz", "txhealthbiz", "Texas Health Business Journal", "www.txhealthbiz.com", "payers", 56800},
	{"feed-kxtv", "kxtv7", "KXTV 7 News", "www.kxtv7news.com", "news", 310000},
}

var webSites = []outlet{
	{"web-atxparents", "atxparents", "ATX Parents Forum", "forum.atxparents.org", "t", 8800},
	{"web-medmoney", "medicalmoneyblog", "Medical Money Blog", "www.medicalmoneyblog.com", "posts", 14100},
	{"web-tx-reddit", "r-texashealth", "r/TexasHealth", "www.reddit.com", "r/TexasHealth/comments", 61000},
	{"web-satxmoms", "satxmoms", "SATX Moms", "www.satxmoms.net", "threads", 12700},
}
