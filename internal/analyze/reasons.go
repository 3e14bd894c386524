package analyze

// Crisis kinds: the reasons of a critical urgency. Each is a person at
// risk now; ReasonLabel gives the words an agent reads.
const (
	// CrisisSelfHarm: the author, or someone they speak for, may harm
	// themselves.
	CrisisSelfHarm = "self_harm"
	// CrisisPoisoning: someone swallowed, took or breathed something
	// harmful (an overdose, a child and a battery).
	CrisisPoisoning = "poisoning"
	// CrisisMedicalEmergency: a medical emergency now, named or
	// described (chest pain and a numb arm, a baby who is blue).
	CrisisMedicalEmergency = "medical_emergency"
	// CrisisViolence: violence happening, or a threat to harm others.
	CrisisViolence = "violence"
	// CrisisAbuse: a patient or someone in care being abused or
	// neglected.
	CrisisAbuse = "abuse_neglect"
)

// reasonLabels are the agent's words for urgency reasons.
var reasonLabels = map[string]string{
	CrisisSelfHarm:         "suicidal or self-harm statement",
	CrisisPoisoning:        "poisoning or overdose",
	CrisisMedicalEmergency: "medical emergency",
	CrisisViolence:         "violence or threat of violence",
	CrisisAbuse:            "abuse or neglect of a patient",
	"legal_threat":         "legal threat",
	"regulator_or_press":   "regulator or press",
	"cost_hardship":        "cost hardship",
	"repeated_contact":     "repeated contact",
	"vulnerable":           "vulnerable person",
	ReasonNegative:         "negative",
	ReasonHighInfluence:    "high-influence author",
	ReasonLowRating:        "low rating",
	ReasonPraise:           "praise",
	ReasonNoise:            "noise",
	ReasonOutbound:         "our own post",
}

// ReasonLabel returns the words an agent reads for an urgency reason
// code; an unknown code is returned as it is.
func ReasonLabel(code string) string {
	if l, ok := reasonLabels[code]; ok {
		return l
	}
	return code
}
