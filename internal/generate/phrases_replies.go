package generate

// Conversation phrasing: the organisation's replies, members' follow-ups,
// other people's comments and review updates. Replies never carry health
// information or confirm that someone is a member or patient.

// Our first public reply to a complaint: apologise and move to private.
var replyComplaintPublic = []string{
	"We're sorry to hear this, and we want to help. Please send us a DM with your name and the best number to reach you. {agent}",
	"That's not the experience we want for anyone. Could you DM us so we can look into this privately? {agent}",
	"We hear you, and we apologize for the frustration. For your privacy, please don't share details here. Send us a direct message and we'll get this to the right team today. {agent}",
	"So sorry about this. We'd like to help. Please DM us and we'll connect you with someone directly. {agent}",
	"Thanks for letting us know, and we're sorry. Our care team is here 7 days a week; please send us a private message so we can dig in. {agent}",
	"We apologize. This needs a closer look and we want to get it right. Check your DMs, we just reached out. {agent}",
}

// Our public answer to a question; some answer, some move to DM.
var replyQuestion = map[string][]string{
	"": {
		"Good question. Benefits differ by plan, so DM us and we'll look up the details privately. {agent}",
		"Thanks for asking! Send us a DM and we'll find the answer for you. {agent}",
		"Happy to help with this. Please DM us so we can check the details privately. {agent}",
	},
	"appointment": {
		"You can reschedule in the Lone Star Health app under Visits > Change. If that doesn't work, DM us and we'll help. {agent}",
		"Most appointments can be moved online in the app or the patient portal, and the scheduling line is on our website too. {agent}",
	},
	"id_card": {
		"Hi! A temporary ID card is always available in the app under Coverage while the plastic one is in the mail. DM us if you need a hand. {agent}",
		"Yes, pharmacies and offices accept the digital ID card in our app. DM us if anyone gives you trouble. {agent}",
	},
	"find_doctor": {
		"Thanks for asking. Our Find Care tool has the latest network info, and we're happy to check a specific doctor for you by DM. {agent}",
		"Networks change, so the Find Care tool is the best source. DM us the doctor's name and we'll double-check. {agent}",
	},
	"billing": {
		"You can pay online at the Lone Star Health billing page or set up a payment plan by phone. Send us a DM and we'll share the direct line. {agent}",
		"Interest-free payment plans are available. Send us a DM and we'll connect you with our billing team. {agent}",
	},
	"enrollment": {
		"Newborns can be added within 30 days of birth. Congratulations! DM us and we'll walk you through it. {agent}",
		"Enrollment dates and plan options are on our website, and a licensed agent can help by phone. DM us for the number. {agent}",
	},
	"prescription": {
		"We offer 90-day mail order for most maintenance medications. DM us and we'll help you get set up. {agent}",
	},
	"facility": {
		"Visiting hours at {site} are 7am to 9pm for most units. Happy to help with anything else! {agent}",
		"Visitors can park in the main garage at {site}; the first 30 minutes are free. {agent}",
	},
}
var replyPraise = []string{
	"This made our day! We'll make sure the team at {site} sees this 💙",
	"Thank you so much for sharing! We'll pass this along to the team. {agent}",
	"We love hearing this. Thank you for taking the time to tell us! 💙",
	"Thank you! Our nurses work so hard and this means a lot to them. {agent}",
	"Wow, thank you! Sharing this with the whole team at {site}. 🙌",
}

var replyNeutral = []string{
	"Thanks for the mention! Let us know if there's anything we can help with. {agent}",
	"Glad to see you there! DM us anytime with questions. {agent}",
	"Thanks for the shout! More class dates are on our events page. {agent}",
}

// Owner responses on Google and Yelp.
var replyReviewNegative = []string{
	"We're sorry to read about this experience. We take feedback seriously and would like to learn more. Please contact our Patient Experience team through the form on our website and mention this review.",
	"Thank you for taking the time to share this. It isn't the standard we hold ourselves to. Please reach out to our Patient Experience office so we can look into it.",
	"We apologize for the frustration described here. Our Patient Experience team would welcome the chance to talk with you; you can reach them through our website's contact page.",
	"Thank you for this feedback. We've shared it with the leadership team at {site}. We'd appreciate the chance to speak with you directly, please reach out through our website.",
}

var replyReviewPositive = []string{
	"Thank you for the kind words! We've shared your review with the team at {site}.",
	"We're so glad to hear this. Thank you for taking the time to leave a review!",
	"Thank you! Our staff will be thrilled to read this. 💙",
}

// Crisis replies point to emergency help at once.
var replySelfHarm = []string{
	"We're really concerned about you. If you are thinking about harming yourself, please call or text 988 to reach the Suicide & Crisis Lifeline, any time. If you're in danger right now, call 911. We've sent you a DM.",
	"Please reach out for help right now: call or text 988, or call 911 if you're in immediate danger. You matter, and we're messaging you privately now.",
}

var replyEmergency = []string{
	"Please call 911 right away if this is an emergency, and tell the triage nurse at once if symptoms get worse. We're alerting the team at {site} now.",
	"If this is a medical emergency, please call 911 or alert the nearest staff member immediately. We've contacted the charge nurse at {site}.",
}

var replyThreat = []string{
	"We want to resolve this with you. Please DM us so a supervisor can reach you directly.",
}

// Our private replies once the member has sent details.
var replyDM = map[string][]string{
	"": {
		"Thank you for your patience, {first}. A supervisor will reach out today.",
		"Appreciate it. I've escalated this to our member advocacy team and flagged it as urgent.",
		"Thanks {first}. I've shared this with the right team; expect a call within one business day.",
	},
	"billing": {
		"Thank you for sending that, {first}. We've opened a case with our billing team and someone will call you within one business day.",
		"Thanks {first}. Billing has the details now and is reviewing the duplicate charge.",
	},
	"id_card": {
		"Got it, thanks {first}. We've requested a new ID card and a temporary one is available in the app now.",
	},
	"claim": {
		"Thanks! I've passed this to our claims team for review and will check back with you by {weekday}.",
	},
	"wait_time":    replyDMWait,
	"no_response":  replyDMWait,
	"er_wait":      replyDMSite,
	"staff":        replyDMSite,
	"facility":     replyDMSite,
	"appointment":  replyDMSite,
	"prescription": {"Thanks {first}. Our pharmacy team is on it and will call the pharmacy directly."},
}

var replyDMWait = []string{
	"Thanks {first}, and sorry again for the wait. A member advocate will call you directly today, no phone tree.",
}

var replyDMSite = []string{
	"Thanks {first}. I've shared this with the patient experience lead at {site}; expect a call from them within 24 hours.",
}
var replyEscalate = []string{
	"We're so sorry you're still waiting. We've escalated this to a supervisor and will update you today.",
	"That's not okay, and we apologize. I've asked a team lead to call you personally this afternoon.",
	"We apologize for the delay. Your message is now with a supervisor, and we'll follow up here shortly.",
}

var replyGlad = []string{
	"So glad we could help! Don't hesitate to reach out anytime. 💙",
	"Great to hear! Thanks for your patience with us.",
	"Happy it's sorted. Take care! {agent}",
}

// The member's private message after we asked them to DM; often carries
// member details (the planted PHI).
var followDetails = map[string][]string{
	"": {
		"sent. my name is {fullname}, member id {mid}",
		"Here's my info: {fullname}, DOB {dob}. Call {phone} after 3pm",
		"ok here you go. {mid}. I'm the subscriber, it's for my daughter",
		"This is {fullname}. You can reach me at {phone}. It's about what I posted earlier",
		"member # {mid}. please call, don't email, I never get them",
		"Hi. {fullname}, born {dob}. I just need someone to tell me what's going on",
	},
	"billing": {"Hi, it's about the double charge. member ID {mid}, DOB {dob}. Best number is {phone}"},
	"claim": {
		"Here's my info: {fullname}, DOB {dob}, claim {claimno}. Call {phone} after 3pm",
		"claim {claimno}, member {mid}. the denial letter is dated last week",
	},
	"id_card": {"{fullname}, member ID {mid}. The card has my name wrong, it should match this"},
}
var followDMSent = []string{"Sent you a DM", "ok, messaged you", "done. DM sent", "Just DMed", "sent!"}

var followPositive = map[string][]string{
	"": {
		"thanks, that fixed it! appreciate the quick help {emo_pos}",
		"They called me back within the hour. Issue resolved. Didn't expect that, thank you",
		"Just wanted to say thanks. The supervisor was great and it's all sorted now",
		"wow that was fast. all good now 🙏",
	},
	"billing": {"Update: someone called me and the refund is on its way. Thank you {org}"},
	"id_card": {"ok got my temporary card from the app, pharmacy took it. thanks!"},
	"claim":   {"Claim got reprocessed and paid. Thank you for pushing it through"},
}
var followNegative = []string{
	"still waiting. nobody has called.",
	"It's been 3 days since I messaged you. Nothing.",
	"Called the number you gave me. On hold again for {hold}.",
	"You said someone would call by {weekday}. Nobody did {emo_neg}",
	"your team told me to call member services. which is what I did in the first place",
}

var followPublicPositive = []string{
	"found it, thanks!", "that worked, thank you!", "oh perfect, thanks {emo_pos}", "Thank you!! 💙",
}

var followPublicNegative = []string{
	"I tried that, it doesn't work", "the app doesn't have that option for me", "already did that twice",
}

var followPraise = []string{"❤️", "you all are the best 💙", "thank YOU", "🙏🙏"}

// Other people's comments on a public post.
var commentAgree = []string{
	"Same thing happened to me last month {emo_neg}",
	"+1, on hold for {hold} this morning",
	"This is why I switched plans",
	"every. single. time.",
	"They did this to my mom too",
	"omg I thought it was just me",
	"Following. Dealing with the exact same thing",
}

var commentAdvice = []string{
	"Call the number on the back of your card and ask for a supervisor, worked for me",
	"You can file an appeal online, took me 2 weeks but they reversed it",
	"Try the app, the temporary card is under Coverage",
	"Ask for the patient advocate at {site}, she was great with us",
	"File a complaint with the state insurance department, they answered in a week after that",
}

var commentSupport = []string{
	"Love {site}! They took great care of my dad too",
	"{nurse} is the best!! 💙",
	"Congrats!! 🎉",
	"So glad you had a good experience, ours was great too",
	"This is so sweet 🥹",
}

var commentNeutral = []string{
	"what time does it start?", "is it free?", "going tomorrow!", "good to know", "👀",
}

// A reviewer updating after we made it right ("a save").
var reviewUpdates = map[string][]string{
	"": {
		"UPDATE: After I posted this, the patient experience manager called me and made it right. Bumping to {stars} stars for following through.",
		"Update: the manager reached out personally and resolved everything. Changing my review.",
		"Revised: someone from the hospital called me the next day and actually listened. Appreciated.",
	},
	"billing": {"Edit: they refunded the duplicate charge and apologized. Still think billing is slow, but they made it right."},
}

// Planted PHI appended to some inbound posts.
var phiSentences = []string{
	" My member ID is {mid}.",
	" member ID {mid}",
	" Call me at {phone}.",
	" DOB {dob} if you need it.",
	" Claim #{claimno}.",
	" ID# {mid}, DOB {dob}",
	" my number is {phone}",
}

// Our first private reply to a direct message: ask for what we need.
var replyAskDetails = []string{
	"Thanks for reaching out, {first}. So we can look into this, please send the member ID from your card, your date of birth and the best number to reach you.",
	"Hi {first}, we're sorry for the trouble. Could you share your member ID and a good callback number? We'll take it from there.",
	"Thanks for messaging us. To find your account, please reply with your full name, date of birth and member ID.",
}

// A person in crisis answering our reply.
var followCrisis = []string{
	"ok. my sister is here with me now",
	"they finally took him back. thank you for calling them",
	"I'm ok. thank you for answering",
	"ok I called. thank you",
}

// Other people reacting to someone in crisis.
var commentCrisis = []string{
	"please call 911 right now",
	"are you safe? please call or text 988",
	"praying for you. please tell the nurse at the desk again",
	"@lonestarhealth can someone please help this person",
}
