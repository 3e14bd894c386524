package generate

// Inbound phrasing: what members, patients and the press say. Slots in
// braces are filled by fill (see text.go); every phrase is written for
// Earshot.

// topics is every inbound subject, grouped by category. social phrases are
// used for posts, comments and direct messages; review phrases for Google
// and Yelp reviews, rated within stars.
var topics = []topic{
	// Complaints.
	{name: "cost", cat: catComplaint, weight: 10, stars: [2]int8{1, 2}, social: []string{
		"{org} raised my premium again. {amount} a month for a {product} I can barely use",
		"Paying {amount}/mo for {product} and my deductible still isn't met. what am I even paying for",
		"Just found out my specialist copay went up to {amount}. Thanks {org}, really helpful in this economy",
		"Open enrollment math: premium up, deductible up, network smaller. {org} what is going on",
		"They said my annual physical was $0 preventive. Got a bill for {amount} after seeing {doctor}. Explain please {org}",
		"how is a family supposed to afford {amount} a month for the {product}?? {org} this is insane",
		"My rate went up {amount} a month and nobody at {org} can tell me why",
	}, review: []string{
		"Was told my visit would be covered, then got a surprise bill for {amount}. Nobody explains costs up front.",
		"Outrageous pricing. {amount} for a 15 minute urgent care visit with insurance.",
	}},
	{name: "id_card", cat: catComplaint, weight: 8, social: []string{
		"Still no insurance card from {org} after {days}. Pharmacy won't fill anything without it",
		"{org} my new ID card has my name spelled wrong AND the wrong group number. second time asking",
		"ordered a replacement card {days} ago. nothing. app just says card unavailable. Great.",
		"The digital ID card in the {org} app won't load and the front desk at {site} wouldn't take a screenshot. Had to reschedule",
		"how is it {month} and my kids still don't have ID cards for our {product}",
		"Third ID card in a row with the wrong PCP printed on it. Does anyone proofread these {org}",
	}},
	{name: "claim", cat: catComplaint, weight: 10, stars: [2]int8{1, 2}, social: []string{
		"{org} denied my claim for the MRI that {doctor} ordered. Prior auth was APPROVED. Now it's not medically necessary?",
		"Claim denied for the third time. Out of network. The ER at {site} is literally YOUR hospital {org}",
		"3rd denial letter this month. Appealed twice. Nobody at {org} can tell me why they won't pay for physical therapy",
		"been fighting a denied claim for {days}. {amount} bill went to collections while {org} reviews it",
		"Denied as not covered. It was a covered screening. I have the benefits booklet right here {org}",
		"{org} paid the anesthesiologist but not the surgeon?? same surgery, same day. make it make sense",
	}, review: []string{
		"Their billing coded my visit wrong so insurance denied it. {days} of phone calls later it's still not fixed.",
	}},
	{name: "billing", cat: catComplaint, weight: 10, stars: [2]int8{1, 2}, social: []string{
		"Got charged twice for the same visit at {site}. {amount} taken out twice from my checking. Who do I call",
		"{org} billing charged my card twice for my premium this month and now I'm overdrafted",
		"double billed again. same date of service, same code, two bills. {amount} each. Fix your system {org}",
		"Got a bill from {site} for {amount} that insurance already paid. Billing said ignore it. Then it went to collections",
		"Autopay took {amount} twice this month. I'm on a fixed income, I can't float that {org}",
		"Why does {org} send me three different bills for one ER visit with three different amounts",
	}, review: []string{
		"Billing department is a mess. I was charged twice for one visit and it took {days} and a dozen calls to get a refund.",
		"Lost my paperwork twice, then billed me {amount} for a test I never had. Avoid the billing office.",
		"Charged twice for the same lab work. Still waiting on the refund after {days}.",
	}},
	{name: "wait_time", cat: catComplaint, weight: 9, social: []string{
		"On hold with {org} member services for {hold} now. The hold music is burned into my brain",
		"{hold} on hold, transferred 3 times, then the call dropped. Fantastic customer service {org}",
		"Called at 8am when you open. Still on hold at {clock}. {org} please",
		"Your phone tree sends me in a circle. Pressed 0 six times. On hold {hold}. Hung up",
		"{hold} on hold just to be told I need to call a different number {org}",
	}},
	{name: "no_response", cat: catComplaint, weight: 7, social: []string{
		"Sent {org} 3 messages through the portal about my claim. No response in {days}",
		"Emailed, called, messaged. Nothing. Does anyone at {org} actually read these",
		"I was promised a callback within 48 hours. That was {days} ago {org}",
		"Filed a grievance with {org} {days} ago and still haven't heard a single word",
		"{org} your chat bot keeps saying an agent will be with me shortly. it has been {hold}",
	}},
	{name: "appointment", cat: catComplaint, weight: 8, stars: [2]int8{1, 2}, social: []string{
		"Tried to book with {doctor} at {site} and the first opening is in {days}. For a follow up!",
		"Drove 40 min to {site} for my appointment and they said it was cancelled. Nobody called me",
		"The scheduling line hung up on me twice. Just trying to see my {specialty} {org}",
		"Waited 90 minutes past my appointment time at {site} and then was told {doctor} went home",
		"online scheduling says no availability at ANY location for {days}. is this normal {org}",
	}, review: []string{
		"My appointment was cancelled the day of with no notice. Third time this year.",
		"Waited almost two hours past my appointment time with no update from the front desk.",
		"Impossible to get an appointment. First opening with {doctor} was {days} out.",
	}},
	{name: "er_wait", cat: catComplaint, weight: 7, stars: [2]int8{1, 3}, social: []string{
		"{wait} in the ER waiting room at {site} with my son running a 103 fever. Still haven't been triaged",
		"ER at {site} right now: packed, one person at the desk, {wait} wait. People sitting on the floor",
		"My mom waited {wait} in the ER at {site} with a broken wrist. Unacceptable {org}",
		"{wait} and counting in the {site} ER. My husband is in so much pain {org}",
	}, review: []string{
		"Waited {wait} in the ER with chest pains. The triage nurse was kind but the wait is inexcusable. Understaffed.",
		"Great nurses, terrible wait. {wait} in the ER but once we got a room the care was solid.",
		"{wait} in the emergency room waiting area. Nobody updated us once. Bring snacks and a phone charger.",
		"If you can go anywhere else, do. {wait} in the ER with a kid throwing up.",
	}},
	{name: "staff", cat: catComplaint, weight: 7, stars: [2]int8{1, 2}, social: []string{
		"The front desk lady at {site} rolled her eyes at me and told me to figure it out. I asked where radiology is",
		"Never been talked to so rudely as by the billing rep at {org} today. I was polite the whole time",
		"A nurse in the {dept} at {site} laughed when my dad asked for water. Shameful",
		"Security at {site} yelled at my elderly mother for using the wrong entrance {org}",
		"the rep hung up on me when I asked for a supervisor. {org} train your people",
	}, review: []string{
		"Front desk staff were rude and dismissive. The doctor was fine but I will not be back.",
		"Call button ignored for 40 minutes, and the night nurse snapped at my mother when she finally came.",
		"The receptionist argued with me about my own insurance for ten minutes in front of a full waiting room.",
	}},
	{name: "facility", cat: catComplaint, weight: 6, stars: [2]int8{1, 3}, social: []string{
		"Parking at {site} is a nightmare. Circled the garage 25 min and was late for my infusion",
		"$18 to park at {site} for a 20 min appointment?? On top of the copay??",
		"The garage elevator at {site} has been out for {days}. My husband uses a walker {org}",
		"bathrooms by the {dept} at {site} were filthy. This is a hospital",
	}, review: []string{
		"Parking garage is always full and the valet costs $12. Plan to arrive 30 minutes early.",
		"Dirty room, cold food, and the TV didn't work for three days. My mother deserved better.",
		"Signage is terrible. Walked in circles for 20 minutes trying to find the {dept}.",
	}},
	{name: "prescription", cat: catComplaint, weight: 5, social: []string{
		"Pharmacy says {org} needs prior auth for my {drug}. I've been on it for 6 years",
		"Mail order pharmacy lost my {drug} shipment AGAIN. Out of meds as of today {org}",
		"cant afford my {drug} because {org} moved it to tier 4. {amount} at the counter. walked out without it",
	}},
	{name: "coverage", cat: catComplaint, weight: 5, social: []string{
		"{org} says {doctor} is out of network now. Nobody told me. I've seen them for 8 years",
		"Your provider directory is useless {org}. Called 6 in-network {specialty}s, none take the {product}",
		"So {service} aren't covered anymore on the {product}? Found out at checkout. Cool cool",
	}},
	{name: "portal", cat: catComplaint, weight: 3, social: []string{
		"Is the {org} app down? Can't log in, can't see my card, can't pay",
		"member portal has been down all morning. Something went wrong on every page {org}",
		"{org} reset my password 4 times and the portal still locks me out",
	}},

	// Questions.
	{name: "appointment", cat: catQuestion, weight: 10, stars: [2]int8{3, 4}, social: []string{
		"{org} how do I change my appointment with {doctor}? The app only lets me cancel",
		"Can I move my appointment at {site} from {weekday} to later in the week online, or do I have to call?",
		"Is there a way to reschedule a lab appointment without calling? on hold forever last time",
		"does {site} take walk-ins for flu shots or do I need an appointment",
	}, review: []string{
		"Does anyone know if they do same day appointments here? The website is unclear.",
	}},
	{name: "id_card", cat: catQuestion, weight: 8, social: []string{
		"Where is my insurance card? Enrolled in {month}, still nothing in the mail {org}",
		"How do I get a replacement ID card from {org}? Lost my wallet at the rodeo",
		"Does the digital ID card in the {org} app count as proof of insurance at the pharmacy?",
	}},
	{name: "find_doctor", cat: catQuestion, weight: 9, social: []string{
		"Is {doctor} at {site} in network for the {product}?",
		"Looking for a {specialty} in {city} who takes the {product}. Any recommendations {org}?",
		"Quick q for {org}: is {doctor} still in network this year? Directory says yes, office says no",
		"{org} is there a {specialty} at {site} taking new patients?",
	}},
	{name: "coverage", cat: catQuestion, weight: 8, social: []string{
		"Does the {product} cover {service}? Can't find it in the benefits summary {org}",
		"Is urgent care at {site} covered the same as a PCP visit on the {product}?",
		"{org} do I need a referral to see a {specialty} on the HMO?",
	}},
	{name: "billing", cat: catQuestion, weight: 6, social: []string{
		"How do I pay my bill from {site} online? The link in the letter doesn't work",
		"Can I set up a payment plan for a {amount} hospital bill? {org}",
		"Who do I talk to about an itemized bill from {site}?",
	}},
	{name: "enrollment", cat: catQuestion, weight: 5, social: []string{
		"How do I add my newborn to my {product}? Baby came early 🙂 {org}",
		"When is open enrollment for the {product}? Moving to Texas in {month}",
		"{org} I turn 65 in {month}. What do I need to do to switch to the Senior Advantage plan?",
	}},
	{name: "prescription", cat: catQuestion, weight: 4, social: []string{
		"Does {org} do mail order for {drug}? 90 day supply?",
		"Which pharmacies near {city} are in network for the {product}?",
	}},
	{name: "cost", cat: catQuestion, weight: 4, social: []string{
		"What's the copay for an ER visit on the {product}? {org}",
		"How much is a telehealth visit with {org} if I haven't met my deductible?",
	}},
	{name: "facility", cat: catQuestion, weight: 4, social: []string{
		"What are visiting hours at {site} right now?",
		"Where do I park for the {dept} at {site}?",
		"Is the cafeteria at {site} open on weekends?",
	}},

	// Praise.
	{name: "staff", cat: catPraise, weight: 12, stars: [2]int8{4, 5}, social: []string{
		"Shoutout to the nurses on the 4th floor at {site}. {nurse} made a scary week so much easier",
		"{doctor} at {site} actually listened to me for the first time in years. Thank you",
		"Huge thanks to the ER team at {site} last night. In and out in under 2 hours with stitches and a sticker for my kid",
		"Nurse {nurse} in the {dept} deserves a raise. Kind, funny, and explained everything",
		"The {specialty} at {site} caught something two other doctors missed. Forever grateful",
	}, review: []string{
		"{doctor} and the whole team were wonderful. Short wait, clean rooms, clear explanations.",
		"Gave birth here in {month}. Nurses {nurse} and {nurse2} were angels. Would recommend to any mom.",
		"Best hospital experience I've had. The ER doctor took time to explain everything to my dad.",
		"Everyone from the valet to {doctor} treated my grandmother with dignity. Thank you.",
		"{nurse} in the {dept} is the reason I'll keep coming back. So patient with my questions.",
	}},
	{name: "service", cat: catPraise, weight: 8, stars: [2]int8{4, 5}, social: []string{
		"Called {org} expecting the worst. Got a real person in 3 minutes who fixed my claim on the spot",
		"Credit where it's due: {org} sent my replacement card in 4 days and the rep was great",
		"Thanks {org} for sorting out my billing mix-up so fast",
		"The member services rep stayed on the line with me until the pharmacy ran it. Above and beyond {org}",
	}, review: []string{
		"Urgent care was fast. Seen in 20 minutes, x-ray done, out in an hour. Staff were friendly.",
		"Front desk was welcoming, parking was easy, {doctor} was on time. Can't ask for more.",
		"Billing office actually called me back and fixed an error in one call. Impressed.",
	}},
	{name: "facility", cat: catPraise, weight: 5, stars: [2]int8{4, 5}, social: []string{
		"Delivered our baby girl at {site} this week. The maternity team was incredible",
		"The new {dept} at {site} is so clean and calm. Parking was easy too!",
		"Whoever designed the kids' waiting room at {site}, thank you. My toddler didn't want to leave",
	}, review: []string{
		"Very clean, modern building. Check-in kiosks worked and the wait was short.",
		"Beautiful new wing, quiet rooms, and the food was honestly good.",
	}},

	// Neutral chatter.
	{name: "general", cat: catNeutral, weight: 10, stars: [2]int8{3, 4}, social: []string{
		"Flu shot done at {site} ✔️ took 10 minutes",
		"Anyone else switching to the {product} this year? Thoughts?",
		"Heading to {site} for labs, wish me luck lol",
		"Saw the {org} van at the health fair in {city} today, free blood pressure checks",
		"{org} has a diabetes class at {site} on {weekday}. Anyone been?",
		"Comparing the {product} and the Bluebonnet HMO for next year. Spreadsheet time",
		"Parking garage at {site} finally has EV chargers",
	}, review: []string{
		"Average experience. Long check-in but the doctor was fine.",
		"It's a hospital. Clean enough, staff ok, cafeteria coffee is bad.",
		"Some staff great, some not. Wait was about what you'd expect.",
		"Fine for labs and imaging. Parking is confusing the first time.",
	}},

	// Crises: risk to life or safety. Rare by design.
	{name: "self_harm", cat: catCrisis, weight: 4, social: []string{
		"honestly if {org} denies this one more time I don't see the point in being alive anymore",
		"I can't keep doing this. no meds, no money, no help. thinking about ending it tonight",
		"I want to kill myself. I've called {org} 12 times and nobody will help me get my {drug}",
		"been thinking about how to end things. nobody at {site} listens anyway",
	}},
	{name: "medical_emergency", cat: catCrisis, weight: 4, social: []string{
		"my dad is having chest pain and can barely breathe and the ER at {site} still hasn't seen him. please someone help",
		"my wife is having a seizure and the nurse line has me on hold. what do I do {org}",
		"My baby's lips are turning blue and we're in the {site} lobby and nobody is coming. HELP",
		"took too many of my pills by accident and I feel really weird, {org} nurse line won't pick up",
	}},
	{name: "threat", cat: catCrisis, weight: 2, social: []string{
		"If {org} denies my claim again I'm coming down to {site} and someone is going to get hurt",
		"someone should burn that billing office to the ground. maybe I will",
		"I know where your {city} office is {org}. Keep ignoring me and see what happens",
	}},
}

// news is what press and blogs write; tone sets the label's sentiment.
type newsItem struct {
	tone     string
	headline string
	lede     string
}

var news = []newsItem{
	{"positive", "Lone Star Health opens new cardiac wing at {site}",
		"The 40-bed expansion adds two cath labs and is expected to cut transfer times for heart patients in {city}."},
	{"neutral", "Lone Star Health and {city} physician group reach contract deal",
		"The agreement keeps more than 300 doctors in network for members of the {product} through 2028."},
	{"negative", "Members report delays as Lone Star Health moves to new claims system",
		"Several members told us their claims have been pending for {days}; the company says backlogs will clear soon."},
	{"positive", "{site} earns top hospital safety grade for second year",
		"The rating looks at infection rates, falls and medication errors reported over two years."},
	{"negative", "State regulators review complaints about Lone Star Health billing",
		"Consumer advocates say duplicate charges and surprise bills have risen since last spring."},
	{"negative", "Lone Star Health to raise some premiums for 2027",
		"The insurer filed for increases averaging 9% on its {product}, citing higher hospital and drug costs."},
	{"positive", "Round Rock Clinic expands urgent care to evenings and weekends",
		"Starting {weekday}, the clinic on Brushy Creek Blvd will stay open until 10pm."},
	{"negative", "Nurses at {site} rally over staffing levels",
		"Dozens of nurses gathered outside the hospital asking for more staff in the {dept}."},
	{"neutral", "What to know about open enrollment with Lone Star Health",
		"Members of the {product} have until mid-December to change plans; here is what changes this year."},
	{"neutral", "Lone Star Health names new chief medical officer",
		"{doctor}, a longtime physician at {site}, will oversee quality and patient safety across the system."},
	{"negative", "ER waits at {site} among longest in the region, data shows",
		"Median waits topped {wait} on weekends in the last quarter, according to state figures."},
	{"positive", "Lone Star Health nurse honored for community vaccine drive",
		"{nurse}, a nurse at {site}, organized weekend clinics that reached more than 4,000 residents."},
}
