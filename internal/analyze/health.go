package analyze

import "strings"

// The health vocabulary below was compiled by Earshot's engineers from
// general medical knowledge: common chronic and acute conditions, widely
// prescribed generic medicines and well-known brand names, and common
// procedures and tests, as members and patients write them in posts. It
// is not copied from any published list. Add entries freely; keep them
// specific (a word with an everyday meaning, such as "cold", is left
// out).

const healthConditions = `diabetes diabetic prediabetes cancer leukemia lymphoma melanoma tumor tumour asthma copd emphysema
hypertension afib arrhythmia ckd hepatitis cirrhosis hiv aids depression bipolar schizophrenia ptsd adhd autism
dementia alzheimers parkinsons epilepsy lupus arthritis osteoporosis fibromyalgia crohns colitis ibs celiac
obesity migraine+ concussion pneumonia bronchitis covid covid-19 influenza sepsis uti gallstones appendicitis
hernia anemia hemophilia hypothyroidism hyperthyroidism endometriosis pcos infertility miscarriage pregnant
pregnancy preeclampsia anorexia bulimia addiction alcoholism psoriasis eczema glaucoma cataract+ scoliosis
sciatica neuropathy diverticulitis shingles`

const healthMedications = `insulin metformin ozempic wegovy mounjaro trulicity jardiance januvia lantus humalog novolog lisinopril
amlodipine losartan metoprolol atorvastatin lipitor simvastatin rosuvastatin crestor eliquis xarelto warfarin
coumadin plavix clopidogrel levothyroxine synthroid omeprazole prilosec pantoprazole gabapentin sertraline
zoloft fluoxetine prozac escitalopram lexapro citalopram bupropion wellbutrin trazodone venlafaxine effexor
duloxetine cymbalta adderall ritalin vyvanse xanax alprazolam klonopin clonazepam ativan lorazepam lithium
seroquel quetiapine abilify aripiprazole lamictal lamotrigine oxycodone hydrocodone vicodin percocet tramadol
morphine fentanyl suboxone buprenorphine methadone naloxone narcan albuterol advair symbicort prednisone
amoxicillin azithromycin z-pak doxycycline ciprofloxacin humira enbrel stelara dupixent keytruda biktarvy
truvada epipen epinephrine ibuprofen acetaminophen tylenol advil naproxen montelukast singulair`

const healthProcedures = `surgery mri x-ray xray ultrasound mammogram colonoscopy endoscopy biopsy bloodwork ekg ecg
echocardiogram angioplasty stent c-section cesarean ivf hysterectomy vasectomy appendectomy lasik chemotherapy
chemo radiation dialysis transplant mastectomy lumpectomy tonsillectomy pacemaker defibrillator vaccination
infusion`

type healthVocab struct {
	set   *phraseSet
	types []string
}

// buildHealthVocab compiles the lists: one word an entry in the
// constants, multi-word entries in multiWordHealth.
func buildHealthVocab() healthVocab {
	v := healthVocab{set: newPhraseSet()}
	for _, g := range []struct {
		typ, list string
	}{{PHICondition, healthConditions}, {PHIMedication, healthMedications}, {PHIProcedure, healthProcedures}} {
		label := uint16(len(v.types))
		v.types = append(v.types, g.typ)
		for _, w := range strings.Fields(g.list) {
			v.set.mustAdd(w, label)
		}
		for _, p := range multiWordHealth[g.typ] {
			v.set.mustAdd(p, label)
		}
	}
	return v
}

var multiWordHealth = map[string][]string{
	PHICondition: {"type 1|2|one|two diabetes", "breast|lung|prostate|colon|skin|ovarian|pancreatic|brain|bone cancer",
		"high blood pressure", "heart failure", "heart disease", "atrial fibrillation", "kidney disease", "kidney failure",
		"major depression", "anxiety disorder", "bipolar disorder", "seizure disorder", "multiple sclerosis",
		"rheumatoid arthritis", "sleep apnea", "long covid", "kidney stones", "sickle cell", "gestational diabetes",
		"postpartum depression", "eating disorder", "opioid use disorder", "substance use disorder", "macular degeneration",
		"herniated disc", "chronic pain", "heart attack", "broken arm|leg|wrist|ankle|hip|rib"},
	PHIMedication: {"birth control", "plan b"},
	PHIProcedure: {"mri scan", "ct scan", "cat scan", "blood test+", "blood work", "lab work", "stress test", "bypass surgery",
		"open heart surgery", "knee|hip|joint|shoulder replacement", "acl surgery", "back surgery", "spinal fusion",
		"tubal ligation", "gallbladder surgery", "cataract surgery", "physical|occupational|speech therapy",
		"radiation therapy", "kidney|liver|heart|lung transplant", "root canal", "wisdom teeth", "gastric bypass",
		"bariatric surgery", "sleeve gastrectomy", "cardiac catheterization", "flu shot", "covid vaccine", "pap smear",
		"prenatal care", "sleep study", "genetic testing", "allergy testing"},
}
