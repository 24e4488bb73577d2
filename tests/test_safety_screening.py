"""Safety screening: normalising, the rules in prompts/safety/rules.yaml, and loading them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.config import REPOSITORY_ROOT
from bot.domain.safety import Concern, Match, SafetyRulesError, Screener, normalise

RULES = REPOSITORY_ROOT / "prompts" / "safety" / "rules.yaml"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load(RULES)


def concerns(screener: Screener, text: str) -> set[Concern]:
    return {match.concern for match in screener.matches(text)}


# --- normalising -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        (
            "I\u2019M NOT OK!!!",
            "i am not ok",
        ),  # curly apostrophe, "'m" written out, case, punctuation
        ("dieeeee", "die"),  # a letter typed many times
        ("kill", "kil"),  # and even twice: "kil" typed in a hurry meets "kill"
        ("k1ll myself", "kil myself"),  # digits standing in for letters
        ("k*ll", "kil"),  # a censored letter
        ("$uicide", "suicide"),
        ("pain 7/10, mood 3 at 3am, 10mg", "pain 7 10 mod 3 at 3am 10mg"),  # numbers stay numbers
        ("p6 m4", "p6 m4"),
        ("don't", "dont"),  # one consistent form for the spelling table to expand
        ("I'll", "i wil"),  # "i'll" is "i will", never "ill"
        ("Suïcide", "suicide"),  # accents dropped
        ("\uff4b\uff4d\uff53", "kms"),  # full-width letters (NFKC)
        ("self-harm", "self harm"),
        ("d i e", "die"),  # spelt out letter by letter
        ("want2die", "want to die"),  # a 2 between words is "to"
        ("b2b k2", "b2b k2"),  # ...but not inside short codes
        ("😞 sad   face 😞", "sad face"),  # emoji and extra spaces
        ("", ""),
    ],
)
def test_normalise_puts_text_into_one_plain_form(typed: str, normalised: str):
    assert normalise(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("kms", "kil myself"),
        ("dont", "do not"),
        ("don't", "do not"),
        ("do not", "do not"),
        ("im", "i am"),
        ("I'm", "i am"),
        ("wanna", "want to"),
        ("want 2 die", "want to die"),
        ("kill my self", "kil myself"),
        ("sucidal", "suicidal"),  # a near miss of a key word
        ("klil myself", "kil myself"),  # four-letter key words: two letters swapped...
        ("i went to bed", "i went to bed"),  # ...but no other change ("went" is not "want")
        ("the exit", "the exit"),  # a real word is never a near miss ("exist")
        ("suisidal", "suicidal"),
        ("kill myslef", "kil myself"),
        ("od", "overdose"),
        ("that is odd", "that is od"),  # "odd" must never become an overdose
        ("I'm ill", "i am il"),
    ],
)
def test_the_spelling_table_from_the_rules_file_is_applied(
    screener: Screener, typed: str, normalised: str
):
    assert screener.normalise(typed) == normalised


# --- crisis ------------------------------------------------------------------------------------

ISSUE_CRISIS_EXAMPLES = [
    "kms",
    "want to end it all",
    "don't want to be here anymore",
    "no reason to live",
    "hurt myself",
    "I'm not sure I want to live",
]


@pytest.mark.parametrize("text", ISSUE_CRISIS_EXAMPLES)
def test_the_issue_examples_are_crisis(screener: Screener, text: str):
    match = screener.screen(text)
    assert match is not None
    assert match.concern is Concern.CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "KMS",
        "i want to diiiie",
        "i w@nt to d1e",
        "i wanna k*ll myself",
        "feeling suicdal tonight",
        "I don\u2019t want to be here any more",
        "no reason 2 live",
        "i want to d i e",
        "not that I'd ever kill myself",  # negations never suppress a match
        "I'm not suicidal",  # when in doubt, show help
    ],
)
def test_spelling_variants_and_negations_still_match_crisis(screener: Screener, text: str):
    assert Concern.CRISIS in concerns(screener, text)


@pytest.mark.parametrize(
    "text",
    [
        "this migraine is killing me",
        "I'm dying for a coffee",
        "dead tired",
        "my phone died",
        "bored to death at work",
        "I killed it at work today",
        "I could kill for a nap",
        "my grandma died last year",
        "the cake was to die for",
        "I hope the headache dies down",
        "that's odd",
        "shh the baby is asleep",
    ],
)
def test_everyday_figures_of_speech_are_not_crisis(screener: Screener, text: str):
    assert screener.matches(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "this migraine is killing me and I want to die",
        "I'm dying for a coffee but honestly I want to end it all",
        "dead tired. kms",
    ],
)
def test_an_exception_does_not_hide_a_real_risk_phrase_beside_it(screener: Screener, text: str):
    match = screener.screen(text)
    assert match is not None
    assert match.concern is Concern.CRISIS


# --- emergency ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [  # the red flags in shared/reference/clinical-facts.md, as a patient might put them
        "I'm having trouble breathing",
        "I have chest pain",
        "I fainted",
        "I think I had a seizure",
        "sudden weakness on one side of my body",
        "my left arm and leg suddenly went numb",
        "I'm having trouble speaking",
        "my speech is slurred",
        "sudden worst ever headache",
        "worst headache of my life, came on in seconds",
    ],
)
def test_each_red_flag_is_an_emergency(screener: Screener, text: str):
    match = screener.screen(text)
    assert match is not None
    assert match.concern is Concern.EMERGENCY


@pytest.mark.parametrize(
    ("text", "concern"),
    [
        ("I cut myself on the kettle", None),  # accidents are exceptions...
        ("I cut myself on purpose", Concern.CRISIS),  # ...but only those
        ("I burnt myself on the oven", None),
        ("I burnt myself again to cope", Concern.CRISIS),
        ("I overdosed on chocolate lol", None),
        ("I overdosed on my tablets", Concern.CRISIS),
    ],
)
def test_accident_exceptions_are_exact(screener: Screener, text: str, concern: Concern | None):
    match = screener.screen(text)
    assert (match and match.concern) == concern


@pytest.mark.parametrize(
    "text",
    [
        "I can't breathe through my nose with this cold",
        "bit of a chest infection",
        "felt a bit faint when I stood up too fast",
        "my husband had a fit when he saw the mess",
        "throbbing on the left side as usual, pain 6",
        "did my breathing exercises",
    ],
)
def test_emergency_look_alikes_are_not_emergencies(screener: Screener, text: str):
    assert Concern.EMERGENCY not in concerns(screener, text)


def test_crisis_wins_over_emergency(screener: Screener):
    text = "I took all my pills on purpose and now I can't breathe"
    found = [match.concern for match in screener.matches(text)]
    assert set(found) == {Concern.CRISIS, Concern.EMERGENCY}
    assert found == sorted(found, key=lambda concern: concern.urgency)  # most urgent first
    assert screener.screen(text).concern is Concern.CRISIS


def test_emergency_wins_over_prescribing(screener: Screener):
    text = "my chest hurts, should I take another dose?"
    assert concerns(screener, text) == {Concern.EMERGENCY, Concern.PRESCRIBING}
    assert screener.screen(text).concern is Concern.EMERGENCY


# --- prescribing -------------------------------------------------------------------------------

PRESCRIBING_QUESTIONS = [
    "can I take another dose?",
    "is it ok to drink wine tonight after my session?",
    "can I take my dose an hour later tonight?",
    "what time should I take the next dose?",
    "I forgot my dose yesterday, what should I do?",
    "can I drink alcohol the day after?",
    "should I take it with food?",
    "can I split the lozenge?",
    "can I take ibuprofen on the day of my dose?",
    "can I take my sertraline as normal?",
    "how much ketamine should I take?",
    "what dose should I be on?",
    "should I increase my dose?",
    "can I double up if I missed one?",
    "I missed yesterday's lozenge, should I take two today?",
    "is it safe to smoke weed after ketamine?",
    "can I have a beer after my session?",
    "is it ok to mix ketamine with xanax?",
    "can I stop taking my antidepressants?",
    "should I skip tonight's dose because of my headache?",
    "can I take a sleeping pill after the session?",
    "is it ok to take my triptan with the lozenge?",
    "am I allowed to drink on the day of my dose?",
    "I'm thinking of taking an extra dose tonight",
    "can I take more if it doesn't work?",
    "should I take half a lozenge?",
    "when should I take my next lozenge?",
    "how many lozenges can I take in a day?",
    "can I take it in the morning instead?",
    "is it bad to have a glass of wine after ketamine?",
    "can I use CBD oil with ketamine?",
    "what happens if I take two doses by mistake?",
    "is it safe to take codeine after my session?",
    "can I start my new migraine tablets this week?",
    "should I stop my propranolol before the session?",
    "can i have a joint after my session",
    "is it ok to drink coffee before my dose?",
    "is it ok if I take it lying down?",
    "I threw up after the lozenge, should I take another?",
    "wine ok after ketamine?",
    "can I go back on my old dose?",
    "should i take the lozenge earlier?",
    "do I need to take it on an empty stomach?",
    "Can I take 2 lozenges tonight???",
]

NOT_PRESCRIBING = [
    "took my dose at 8",
    "my dose was increased last week",
    "the lozenge tasted awful",
    "I had a glass of wine last night",
    "can I change my check-in time?",
    "how long until I can drive?",
    "can I move my session?",
    "when is my next session?",
    "how many sessions are in the programme?",
    "is nausea normal?",
    "how do I export my data?",
    "do I need to fast before?",
    "what does PGIC mean?",
    "can I bring my partner to the session?",
    "should I call the clinic?",
    "can I talk to someone?",
    "what time is my appointment?",
    "how much does the programme cost?",
    "can I take a break from the check-ins?",
    "should I take a walk when I feel anxious?",
    "can I take a day off work after the session?",
    "is it ok to feel emotional after the session?",
    "is it normal to feel tired the next day?",
    "should I write in my journal?",
    "can I have a bath after the session?",
    "the ibuprofen took the edge off",
    "I take sertraline every morning",
    "my GP changed my migraine medication",
    "I stopped drinking alcohol years ago",
    "no alcohol for me this month",
    "how are you?",
    "can I skip today's check-in?",
    "should I stop the reminders?",
    "can I use the app on my laptop?",
    "how often will you message me?",
    "is it ok to go for a run?",
    "can I eat before the session?",
    "what should I do if I feel anxious?",
    "when can I drive again?",
    "should I take it easy today?",
    "I'm going to take a nap",
    "should I take up yoga?",
]


def test_there_are_enough_prescribing_examples():
    assert len(PRESCRIBING_QUESTIONS) >= 40
    assert len(NOT_PRESCRIBING) >= 40


@pytest.mark.parametrize("text", PRESCRIBING_QUESTIONS)
def test_dosing_and_mixing_questions_are_recognised(screener: Screener, text: str):
    assert screener.screen(text) is not None
    assert screener.screen(text).concern is Concern.PRESCRIBING


@pytest.mark.parametrize("text", NOT_PRESCRIBING)
def test_reports_and_other_questions_are_not_prescribing(screener: Screener, text: str):
    assert screener.matches(text) == []


# --- generalisation: examples written apart from the labelled files ----------------------------
#
# These were written by hand, in many voices (check-in notes, slang, typos, formal English, long
# journal entries), to check that the rules catch ways of saying things that neither the rules
# nor tests/safety_data were written from. The ordinary ones are deliberately close calls:
# figures of speech, grief, accidents, exertion, history, and symptoms with an everyday cause.

OWN_CRISIS = [
    "i keep thinking the world would be better without me in it",
    "everyone would be fine if i wasnt around",
    "I hope I die in my sleep tonight",
    "honestly hoping I don't wake up in the morning",
    "please let me die",
    "i wish a lorry would hit me",
    "hoping i get hit by a car on the way home",
    "I'd welcome death at this point",
    "i think about dying all the time now",
    "i wanna die fr",
    "want 2 die",
    "wanna die",
    "want to be dead",
    "dying sounds better than this",
    "i keep wishing i was dead",
    "I'd rather die than have another year like this",
    "i might as well be dead",
    "I'm ready to die",
    "death sounds peaceful right now",
    "i'm not scared of death anymore, i'd welcome it",
    "nothing matters anymore, i want to die",
    "i hate myself and want to die",
    "I feel like dying today",
    "i just want to sleep forever",
    "Sometimes I wish I'd never wake up",
    "I'm praying I won't wake up tomorrow",
    "I want god to take me",
    "suicide seems like the only option",
    "I've been having suicidal thoughts",
    "having suicidal ideation again",
    "contemplating suicide",
    "I've been suicidal all week",
    "thinking about sucide",
    "feeling suiside",
    "suicidial again today",
    "i am going to commit suicide",
    "I tried to end my life in 2019 and I feel like that again",
    "i attempted suicide before and i'm scared i will again",
    "i'm gonna k!ll myself",
    "gonna kil myself",
    "i want to kil my self",
    "thinking of killin myself",
    "want to unalive",
    "i keep having thoughts about killing myself",
    "the thoughts of killing myself are getting louder",
    "i'm thinking of taking my own life",
    "thoughts of ending my life keep coming back",
    "i wanna end it",
    "thinking about ending it",
    "I'm going to end my suffering",
    "ready to end it",
    "ending it all seems like the only way",
    "I just want to end it tonight",
    "I want to end my own life",
    "my life needs to end",
    "i want to stop living",
    "i don't want to be alive",
    "i don't want to live any more",
    "i can't carry on anymore",
    "can't keep going like this",
    "I can't go on like this",
    "I can't live like this anymore",
    "can't live with this pain anymore",
    "there's no point in anything anymore",
    "no point living",
    "what's the point of being here",
    "life has no meaning anymore",
    "I have nothing left to live for",
    "there's nothing to live for",
    "I'm tired of existing",
    "i just want to not exist",
    "I don't want to exist",
    "i want to be gone",
    "I want to disappear forever",
    "i just want it all to be over",
    "i want everything to be over",
    "I give up. I can't do this any more",
    "i'm done. done with everything. i want out",
    "I'm not going to be around much longer",
    "I feel like a burden to my family and they'd be better off if I was gone",
    "my kids would be better without me",
    "nobody would miss me if i was gone",
    "no one would care if i died",
    "everyone's life would be easier if I wasn't here",
    "i'm such a burden, they'd be happier without me",
    "I've said my goodbyes",
    "goodbye everyone, thank you for trying",
    "this is my last message",
    "by the time you read this i'll be gone",
    "I wrote a note for my husband and the kids",
    "i cut my arms last night",
    "I've been burning myself with cigarettes",
    "i keep hitting my head against the wall on purpose",
    "i want to hurt myself badly",
    "I've been self harming again",
    "self-harmed last night",
    "intrusive thoughts about hurting myself",
    "urge to self harm is strong",
    "i relapsed, cut again",
    "I feel like hurting myself",
    "I starve myself as punishment",
    "I want to bleed",
    "I've been punching walls and hurting myself",
    "i took 30 paracetamol",
    "swallowed a whole bottle of pills",
    "I took an overdose an hour ago",
    "I'm planning to OD tonight",
    "gonna jump off the multi storey",
    "standing on the bridge right now thinking about it",
    "i want to drive my car into a tree",
    "i'm going to hang myself",
    "thinking of jumping in front of a train",
    "I keep thinking about drowning myself",
    "i'm going to walk into the sea and not stop",
    "I'm tempted to take all my ketamine in one go",
    "I've been stockpiling my lozenges",
    "I've been saving my pills for when I'm ready",
    "i know exactly how i'd do it",
    "I'm thinking about taking all my tablets",
    "I want to take all my pills",
    "I could just take the whole bottle",
    "I looked up how high the bridge is",
    "been researching the easiest way to go",
    "I'm going to swallow everything in the cupboard",
    "ending my life is all i can think about",
    "self harming is the only way i feel anything",
    "i have thoughts of harming myself",
    "Mood 0. Spent the evening thinking about how I'd do it",
    "everyone would be relieved if I disappeared",
    "i wnt to die",
    "I've been looking at the train times and thinking about the tracks",
    "i could just end it all right now",
    "i wish i could just stop existing for a while, permanently",
    "i won't be around for christmas",
    "im going to kill my self tonight",
    "I got as far as the bridge last night",
    "i just want to go to sleep and not wake up ever",
    "by the time anyone reads this it'll be too late",
    "no reason to stay alive",
    "i feel like i should just die",
    "I've cut my wrists",
    "no point carrying on",
    "Wish I could just die and be done",
    "I've written my goodbye letters",
    "the only thing I want is to not be alive",
    "i'm going to take my life tonight",
    "i've taken an overdose",
    "I burnt myself on purpose",
    "had suicidal thoughts during the comedown",
    "nobody would miss me",
    "want to end my life tbh",
    "i feel like jumping off my balcony",
    "suicide is the only option",
    "I'm using a blade again",
    "i'm sitting on the edge of the roof",
    "I am so tired of being alive",
    "I want to feel pain, I deserve it",
    "I'm a burden and I've had enough",
    "been thinking how easy it would be to just end it",
    "i've researched methods online",
    "please just let me go",
    "death is the only thing I look forward to",
    "if i died it would solve everyone's problems",
    "I wish I could just fade away",
    "nothing left to live for",
    "gonna kms",
    "there's nothing worth living for",
    "I stood on the platform and thought about stepping off",
    "thinking about sucide",
    "Answer to journal prompt: what scares me is how calm I feel about dying",
    "Before the dose I was planning how I'd do it",
    "I keep hitting my head on purpose",
    "i'm thinking of offing myself",
    "I'm hurting myself again and I can't stop",
    "i feel so empty i want to stop living",
    "im so done with everything i wanna sleep and never wake up",
    "I'm thinking about driving into the river",
    "I started cutting my stomach",
    "I have been contemplating taking my own life",
    "I'm tired of pretending I want to live",
    "tbh dying doesnt scare me anymore",
    "I keep thinking of jumping from my window",
    "I'm at the point where I don't care if I live or die",
    "i keep driving past the reservoir and thinking how easy it would be",
    (
        "Journal prompt answer: I noticed that the only time I feel calm is when I imagine not "
        "being alive."
    ),
    "My psychiatrist changed my meds and now I'm having thoughts about killing myself",
    "every time I cross the road I think about stepping out",
    "I'm planning on not being here much longer",
    "I keep thinking the kids would be fine with my mum if I wasn't here",
    "i'm so sick of being in pain. i want to go to sleep forever",
    "I swallowed a load of my tablets",
    "would anyone notice if I was gone",
    "is it bad that I want to die?",
    "I'm a waste of oxygen",
    "scratched my skin until it bled",
    "what happens if you take all your ketamine at once",
    "why should I bother staying alive",
    "can't be bothered living anymore",
    "I'm standing on the bridge",
    "i said to myself if it doesnt get better i'll kill myself",
    "thinking of self deleting",
    "I took the whole packet of my sleeping tablets",
    "I slit my wrist",
    "i hope something kills me soon",
    "I burnt myself with my lighter again",
    "i'm going to slit my wrists",
    "I've got a stash of pills ready",
    "gonna yeet myself off a bridge lol but fr",
    "i've started hurting myself to cope with the pain",
    "everyone would be relieved if I just vanished",
    "there's a part of me that wants to go through with it",
    "i've lost the will to keep going",
    "the only thing stopping me is my dog",
    "I'm staying alive for my kids but I don't want to",
    "i'd rather be in the ground than feel like this",
    "i keep digging my nails into my arms until they bleed",
    "i just want to sleep and never wake up again",
    "i dont think i want to survive this",
    "i'm at the edge of the cliff",
    "every day is torture, I want it to end",
    "I bit my arm until it bled",
    "mood 0 i give up on life",
    "I looked up how to kill myself",
    "please don't try to stop me",
    "Anything to add? I'm struggling to find reasons to stay",
    "i'm so tired of this, i'm going to end it tonight",
    "my plan is to take my tablets with the wine",
    "I'm going to step off the roof",
    "wanna die lmao",
    "is there any point in staying alive",
    "sometimes I think about hanging myself in the garage",
    "wish i was dead fr",
    # indirect and passive wordings, said in many ways
    "I don't see myself being here at Christmas",
    "the bridge on my way home looks inviting",
    "I've been keeping back a lozenge each session, I've got a few now",
    "if there was an off switch for me I'd press it",
    "the kindest thing I could do for everyone is disappear",
    "my kids deserve a better mum than me",
    "I scratched my arms raw again",
    "I've started giving my stuff to friends",
    "woke up again. unfortunately.",
    "if this treatment doesn't work I'm out",
]

OWN_EMERGENCY = [
    "my chest is really tight and painful",
    "feels like an elephant is sitting on my chest",
    "pressure in my chest spreading to my left arm",
    "sharp chest pains",
    "chest pains since this morning",
    "crushing chest pain",
    "chest feels heavy and i'm sweating",
    "chest feels like it's being squeezed",
    "I think I'm having a heart attack",
    "pain in my chest and down my arm",
    "I can't get any air in",
    "struggling for breath",
    "i'm gasping and can't talk",
    "he's stopped breathing",
    "she's not breathing properly",
    "short of breath just sitting here",
    "out of breath lying in bed doing nothing",
    "can't breath",
    "cannot breathe",
    "i cant breth",
    "barely able to breathe",
    "struggling to breath",
    "lips gone blue",
    "throat closing up",
    "my tongue is swelling",
    "severe allergic reaction",
    "really hard to get a breath in",
    "my husband collapsed",
    "my wife fainted and won't wake up",
    "I passed out for a few seconds",
    "he's unconscious",
    "she's unresponsive",
    "I keep blacking out",
    "i lost consciousness in the shower",
    "my dad just collapsed on the floor",
    "keeled over in the kitchen",
    "went limp and unresponsive",
    "can't wake my partner up after the dose",
    "he's having a fit",
    "she's convulsing",
    "my son is having a seizure",
    "think I just had a seizure, bit my tongue",
    "his whole body is shaking and jerking",
    "my arm went weak all of a sudden",
    "can't feel my left side",
    "the left side of my face is drooping",
    "face dropped on one side",
    "suddenly numb down my right side",
    "suddenly I can't move my arm",
    "my leg has suddenly gone numb and weak",
    "one side of my face feels numb",
    "half my face is numb",
    "I can't lift my right arm",
    "i think i'm having a stroke",
    "suddenly lost the vision in one eye",
    "my words are coming out wrong",
    "slurring my words",
    "she suddenly can't speak",
    "he's talking gibberish suddenly",
    "I can't get my words out",
    "speech went strange all of a sudden",
    "worst headache i've ever had",
    "sudden severe headache like being hit with a bat",
    "headache came on like a thunderclap",
    "head pain 10/10 that came on in a second",
    "the worst pain ever in my head, came from nowhere",
    "sudden blinding headache",
    "should I call an ambulance?",
    "she fainted and hit her head",
    "chest is burning and I'm short of breath",
    "feels like someone is standing on my chest",
    "numbness on one side of my body",
    "suddenly my arm feels heavy and weak",
    "i'm getting chest pains and feel sick",
    "my breathing is really laboured",
    "I'm gasping for air",
    "Half my face has gone numb",
    "call 999",
    "my son fainted and isn't responding",
    "I'm struggling to catch my breath even sitting down",
    "my throat is swelling up",
    "my face feels droopy on the right",
    "she's having a seizure and won't stop shaking",
    "i passed out in the bathroom",
    "he collapsed and isn't breathing properly",
    "really struggling for breath, can't finish a sentence",
    "my vision went black on one side",
    "I blacked out at the wheel",
    "I can't get my breath and my chest hurts",
    "my husband isn't breathing",
    "half my body feels numb",
    "can't see out of my left eye suddenly",
    "I've got the worst head pain I've ever felt and I'm being sick",
    "my chest feels really tight and I can't breathe well",
    "I've got a heavy feeling in my chest and I'm clammy",
    "pain behind my breastbone, really heavy",
    "i keep choking and can't get air",
    "I lost consciousness for a bit",
    "breathing is a real struggle right now",
    "I collapsed on the way to the loo and hit my head, feeling really odd",
    "suddenly my left hand and foot went numb and I can't grip anything",
    "can't lift my left arm or leg",
    "I've got the worst headache of my life",
    "my right arm has gone floppy",
    "he's having seizures one after another",
    "my friend's not waking up after taking ketamine",
    "I fainted and my husband says I was shaking",
    "words are coming out as nonsense",
    "can't breathe lying down, have to sit up",
    "my breathing is really noisy and I can't get enough air",
    "my son's eyes rolled back and he started shaking",
    "pressure in the centre of my chest that won't go away",
    "palpitations and I nearly passed out",
    "tight band across my chest and I feel sick and sweaty",
    "breathless at rest since the dose",
    "I fainted in the shower and hit my head",
    "lost vision in my left eye for a few minutes",
    "my lips and fingertips have gone blue",
    "his whole body went stiff then started jerking",
    "sudden extreme pain at the back of my head",
    "stabbing pains in my chest",
    "pain in my chest comes and goes but it's getting stronger",
    "I'm breathing really fast and my fingers are tingling and lips are blue",
    "I can't take a deep breath without pain and I'm coughing blood",
    "my heart is racing and I've got chest pain",
    "he's had three seizures today",
    "anaphylactic shock I think",
    "I passed out and woke up confused",
    "my speech is funny and my face looks odd",
    "he won't stop fitting",
    "I'm slurring my words and I haven't been drinking",
    "struggling to breathe, lips going blue",
    "my breathing has gone very slow and shallow",
    "ambulance needed, chest pain",
    "I've got chest pain that goes through to my back",
    "I'm having a heart attack",
    "I can't speak properly, words coming out wrong",
    # unusual wordings of the red flags
    "my husband says I was shaking and unresponsive for a couple of minutes",
    "woke up on the bathroom floor, don't remember falling",
    "I know what I want to say but different words come out",
    "felt like someone whacked me on the back of the head, sudden and horrendous",
    "every breath is a fight",
    "my arm just went dead and won't move, not from lying on it",
]

OWN_ORDINARY = [
    "I could have died of embarrassment",
    "my phone's about to die",
    "the plant died while we were away",
    "my dad died two years ago today",
    "she passed away peacefully in her sleep",
    "I'm dead tired after work",
    "I'd die for a holiday right now",
    "I nearly died laughing",
    "the suspense is killing me",
    "these migraines are killing me",
    "I'm killing it at the gym",
    "killed two birds with one stone",
    "the deadline is killing me",
    "dying to see my grandkids",
    "the meds are killing my appetite",
    "my cat is dying, the vet says it's kidneys",
    "my mum's death still hurts",
    "I've been thinking about my dad who died last spring",
    "I'm scared of dying on the plane next week",
    "the battery on my phone is dead",
    "I want to be pain free",
    "I want to go to sleep early tonight",
    "I wish I could sleep better",
    "I want to end the day with a bath",
    "I want to end my shift early",
    "can't wait for this migraine to end",
    "I want this migraine to stop",
    "I'm thinking about ending my gym membership",
    "ending things with my boyfriend was the right call",
    "I ended it with him last week",
    "we ended things amicably",
    "I want to live a normal life",
    "I want to live by the sea one day",
    "I want to live without pain",
    "I want my life back",
    "my life is so busy",
    "I want to run away to a cabin for a week",
    "I want to hide under the duvet today",
    "I wish the pain would go away",
    "I'd like to disappear on a beach holiday",
    "I'm so tired I could sleep for a week",
    "I might take a nap",
    "I'm going to take a bath and go to bed",
    "i'm ready to go to bed",
    "I'm ready to go back to work",
    "i'm planning to go to the gym",
    "no point going to the gym with this headache",
    "there's no point in calling the GP, they never answer",
    "what's the point of the reminders on weekends?",
    "I gave up on the diet",
    "I'm giving up caffeine",
    "I can't go on the trip next week",
    "can't go on holiday this year",
    "goodbye for now, see you tomorrow",
    "goodbye and thanks!",
    "take care, bye",
    "I'm done for the day",
    "done with work for the week",
    "I hurt my back lifting boxes",
    "I cut my finger chopping onions",
    "burnt my hand on the oven",
    "I hurt myself falling off my bike",
    "jumped in the sea for a swim, freezing!",
    "hanging the washing out",
    "hanging out with friends later",
    "drowning in paperwork",
    "the train was cancelled so I walked",
    "I overdid it at the gym",
    "I ate too much cake, overdosed on sugar lol",
    "hurting all over today, fibro",
    "my head hurts so much",
    "my chest feels a bit congested with this cold",
    "chest cold, coughing a lot",
    "got it off my chest with my therapist",
    "breathing exercises helped",
    "out of breath after the stairs",
    "a bit breathless walking up the hill",
    "I nearly fainted when I saw the bill lol",
    "my foot fell asleep",
    "pins and needles in my hands",
    "arm went numb from sleeping on it",
    "bit of a headache behind my eyes",
    "worst migraine this month",
    "the worst part of the day was the commute",
    "my speech at the wedding went well",
    "I had a laughing fit",
    "the toddler threw a fit about bedtime",
    "heart racing before the exam",
    "my dad had a heart attack years ago",
    "my mum had a stroke last year, visiting her today",
    "my legs feel heavy after the long walk",
    "tight shoulders from the desk",
    "my arm is sore from the flu jab",
    "numb toes in the cold",
    "a bit lightheaded this morning, fine after breakfast",
    "took my breath away, the view was stunning",
    "hold my breath when I'm stressed",
    "my son is having a tantrum",
    "couldn't find the words to thank her",
    "my voice is hoarse from the cold",
    "shaking a bit from too much coffee",
    "cut my finger on a tin can",
    "I'm so over this weather",
    "I blacked out the windows for the session",
    "goodbye for today!",
    "I want to sleep for a hundred years",
    "a bit out of breath after the stairs",
    "there's no point arguing with my teenager",
    "I burnt the toast",
    "the worst migraine in months",
    "breathing was slow and deep during the session",
    "breathless after chasing the dog",
    "I want to disappear to a beach somewhere",
    "my chest is fine, just a cough",
    "I overdid the painkillers, 15 days this month",
    "stroke awareness week at work",
    "I wish I could go on holiday",
    "I love my life",
    "my aunt died in March",
    "I have a pill organiser now",
    "hard to breathe in the smoky pub",
    "the battery's dead",
    "took too many painkillers this month, rebound headaches",
    "my phone is dead",
    "I fainted when I was a teenager",
    "I can't stand the noise",
    "not sure the ketamine is working",
    "felt a bit wobbly after",
    "the noise was unbearable",
    "this week has been awful",
    "didn't want to get out of bed today",
    "felt like I left my body",
    "I'm scared the pain will never go",
    "I feel numb emotionally after the session",
    "thinking of moving house",
    "a bottle of wine with dinner",
    "I go to bed hoping the migraine is gone",
    "I'd be fine with a later check-in",
    "my son threw a fit at the shop",
    "this is my last check in before my holiday, back in 2 weeks",
    "my neck is stiff from sleeping funny",
    "my heart rate went up on the treadmill",
    "I was gasping for a cuppa",
    "I feel useless when I can't work",
    "I've had enough of this migraine",
    "right side of my face aches, dentist on Monday",
    "my daughter had a febrile fit as a baby",
    "I can't keep doing this job",
    "my partner crashed out on the sofa",
    "chest has been a bit sore from coughing",
    "had a funny turn but ok now",
    "headache like someone's drilling",
    "I stood on the platform waiting for the train",
    "I'm tired of fighting with the insurance",
    "arm feels weak after the blood test",
    "I took a bunch of photos",
    "heart hurts for my friend, her dog died",
    "I have a pounding headache, usual migraine",
    "the shaking from the session stopped",
    "cant stop thinking bout holidays",
    "I'm not going to make it to the session on time",
    "my partner is snoring loudly",
    "feels like my head is full of cotton wool",
    "I had an argument with my husband and locked myself in the bathroom for a cry",
    "Journal prompt answer: I noticed I feel calm by the sea",
    "mood 4. I haven't taken my lozenge yet, waiting until after lunch",
    "pain 9 all week. exhausted but hanging on for the session",
    "I stepped out of the shower and slipped",
    "my chest feels tight when I'm anxious, the breathing exercise helps",
    "if the pain doesn't stop by Friday I'm going to call the GP",
    "the cuts on my hands from gardening are healing",
    "chest feels a bit heavy from the cold",
    "I'm dying inside from embarrassment lol",
    "i've tidied everything up in the garage",
    "I hurt my back again last night",
    "i can't promise i'll be on time",
    "i need to sleep",
    "I'm going to do something nice for myself",
    "my chest hurts from laughing",
    "pain at the back of my head from the tension",
    "sat up in bed to read",
    "I couldn't speak for laughing",
    "I was out cold last night, slept 10 hours",
    "breathing is noisy with my cold",
    "my left leg aches after the walk",
    "tongue feels a bit sore from a mouth ulcer",
    "found my keys on the floor",
    "I went blind with rage lol",
    "I passed the exam!",
    "Pain 5. Made my peace with the weather.",
    "the only thing stopping me going out is the rain",
    "I can't see any way to fit everything into today",
    "I've been practising my breathing",
    "this headache is the worst",
    "there's no point in me going",
    "I'm thinking about my grandma who died",
    "my leg went numb sitting on the loo",
    "I'm going to disappear into the garden",
    "I'm drowning in work",
    "hoping this headache ends soon",
    "we walked across the bridge",
    "worst headache this week",
    "what's the point of this app",
    "I've been reading about near death experiences",
    "no point in trying to explain",
    "saving my lozenges for the weekend session",
    "sudden downpour",
    "my friend's dad died",
    "wish I was on holiday",
    "giving up chocolate for lent",
    "bought a new knife set",
    "couldn't do it without me apparently",
    "point taken",
    "this is my last check in before holiday",
    "I'd rather not go out",
    "i hope the bus comes soon",
    "tired of waiting for the bus",
    "I live alone",
    "heat stroke last summer",
    "ran into an old friend",
    "life's good",
    "can't wait for the weekend",
    "I want the pain to end",
    "there's no reason to worry",
    "I took a deep breath",
    "walking by the river",
    "cutting back on screen time",
    "almost got run over by a scooter lol",
    "I hung up the washing",
    "my heart is full",
    "jumped at the chance",
    "I've stopped eating late, helps the migraines",
    "I don't want to do the washing today",
    "how do I stop the reminders",
    "I'll drive to the sea on Saturday",
    "struggling to find time to rest",
    "I'm ready to be done with this cold",
    "my life insurance renewal came through",
    "please don't forget my appointment",
    "crossed my mind to call you",
    "step off the kerb carefully, it's icy",
    # hard negatives for the widened rules
    "my hand went numb from leaning on it",
    "I have asthma and the cold air makes me wheeze a bit",
    "sudden drop in temperature gives me migraines",
    "I'm stockpiling tins in case of snow lol",
    "my plan is to take my lozenge at 6pm and have dinner after",
    "I won't be around next week, on holiday",
    "the sea looks so inviting today",
    "I left a note for my husband to buy milk",
]


def test_there_are_enough_own_examples():
    assert len(OWN_CRISIS) + len(OWN_EMERGENCY) + len(OWN_ORDINARY) >= 150
    assert min(len(OWN_CRISIS), len(OWN_EMERGENCY), len(OWN_ORDINARY)) >= 50


@pytest.mark.parametrize("text", OWN_CRISIS)
def test_own_crisis_examples_are_crisis(screener: Screener, text: str):
    assert Concern.CRISIS in concerns(screener, text)


@pytest.mark.parametrize("text", OWN_EMERGENCY)
def test_own_emergency_examples_are_emergencies(screener: Screener, text: str):
    assert Concern.EMERGENCY in concerns(screener, text)


@pytest.mark.parametrize("text", OWN_ORDINARY)
def test_own_ordinary_examples_raise_no_crisis_or_emergency(screener: Screener, text: str):
    assert not concerns(screener, text) & {Concern.CRISIS, Concern.EMERGENCY}


@pytest.mark.parametrize(
    "text",
    [  # one idea each, in wordings unlike the development set: the list learns, not the sentence
        "I no longer wish to remain on this earth",  # formal: {living} "remain"
        "I have been contemplating my demise",  # {death} "demise"
        "gonna log off from life soon",  # {sign_off} + "from life"
        "honestly ready to tap out for good",  # {sign_off} + "for good"
        "one more rough week and I'm clocking out",  # a condition, then {final_word}
        "if the treatment doesn't help, that is it",  # {fails} + {final_word}
        "my family would run smoother if I vanished",  # {better} "smoother"
        "the children would manage better without a mum like me",  # {me_gone}
        "i wnt 2 sleep n neva wake up",  # spelling table: text speak
        "I'd rather be six feet deep",  # {death}
        "my brain keeps yelling at me to jump",  # a voice or the brain pushing
        "I tied a cable around my neck last night",  # ligature
        "would it hurt if I jumped from the 7th floor",  # {does_it_hurt}, {high_place}
        "the tablets in my drawer would sort everything",  # means that "would sort it"
    ],
)
def test_crisis_ideas_generalise_to_new_wordings(screener: Screener, text: str):
    assert Concern.CRISIS in concerns(screener, text)


@pytest.mark.parametrize(
    "text",
    [
        "dad has gone grey and clammy and keeps rubbing his chest",  # {pallor} + chest
        "it's like a vice around my ribs",  # chest pain named by the ribs
        "my wife collapsed and now she isn't answering me",  # not answering
        "my right hand and leg just stopped working",  # {weak_numb} "stopped working"
    ],
)
def test_emergency_ideas_generalise_to_new_wordings(screener: Screener, text: str):
    assert Concern.EMERGENCY in concerns(screener, text)


@pytest.mark.parametrize(
    "text",
    [
        "my cat scratched my wrist while I was brushing her",
        "I scratch my eczema until it bleeds, it drives me mad",
        "bought a rope ladder for the treehouse",
        "the main character takes an overdose in chapter 3",
        "my mum isn't answering her phone, probably at the shops",
        "I'm checking out of the hotel soon",
        "I won't need the follow-up appointment, I've been discharged",
        "I couldn't catch my breath from laughing",
    ],
)
def test_new_look_alikes_raise_no_crisis_or_emergency(screener: Screener, text: str):
    assert not concerns(screener, text) & {Concern.CRISIS, Concern.EMERGENCY}


# --- the rules file ----------------------------------------------------------------------------


def test_the_shipped_rules_cover_every_concern(screener: Screener):
    prefixes = {rule_id.split("-")[0] for rule_id in screener.rule_ids}
    assert prefixes == {concern.value for concern in Concern}
    assert len(set(screener.rule_ids)) == len(screener.rule_ids)


@pytest.mark.parametrize("text", ["", "   ", "👍", "7", "ok thanks"])
def test_messages_with_nothing_in_them_match_nothing(screener: Screener, text: str):
    assert screener.screen(text) is None


def test_a_match_names_the_rule_and_never_carries_the_text(screener: Screener):
    match = screener.screen("i want to end it all")
    assert match.rule_id in screener.rule_ids
    assert "end it all" not in repr(match)


def test_screening_is_fast_enough_to_run_on_every_message(screener: Screener):
    messages = [*PRESCRIBING_QUESTIONS, *NOT_PRESCRIBING, *ISSUE_CRISIS_EXAMPLES] * 10
    started = time.perf_counter()
    for text in messages:
        screener.screen(text)
    per_message = (time.perf_counter() - started) / len(messages)
    assert per_message < 0.002


MINIMAL_RULES = """\
exceptions:
  phrases: [killing me]
rules:
  - id: crisis-test
    concern: crisis
    description: a test rule
    phrases: [want to die]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_rules_file_loads(tmp_path: Path):
    screener = Screener.load(write(tmp_path, MINIMAL_RULES))
    assert screener.screen("I want to die") == Match(Concern.CRISIS, "crisis-test")
    assert screener.screen("this is killing me") is None


COMPOSED_RULES = """\
lists:
  desire: [want*, wish*, hope]
  death: [die, be dead, not wake up]
  somewhere: [at work, in the office]
exceptions:
  patterns:
    - 'not wake up (?:the|my) (?:baby|kids)'
rules:
  - id: crisis-test
    concern: crisis
    description: a wish to die, composed from two lists
    patterns:
      - '{desire} (?:\\w+ ){0,2}{death}(?! {somewhere})'
"""


def test_rules_compose_lists_and_exceptions_can_be_patterns(tmp_path: Path):
    screener = Screener.load(write(tmp_path, COMPOSED_RULES))
    for text in ["I want to die", "wishing I could be dead", "hope I do not wake up"]:
        assert screener.screen(text) == Match(Concern.CRISIS, "crisis-test"), text
    for text in ["I hope I don't wake up the baby", "I want to be dead at work lol"]:
        assert screener.screen(text) is None, text


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (
            MINIMAL_RULES.replace("phrases: [want to die]", "phrases: [want to die"),
            8,
            "flow sequence on line 7",
        ),
        (MINIMAL_RULES.replace("    concern: crisis", "   concern: crisis"), 5, "expected"),
        (MINIMAL_RULES.replace("    description:", "    descripton:"), 6, "unknown key"),
        (
            MINIMAL_RULES.replace("    phrases: [want to die]", "    patterns: ['want (to die']"),
            7,
            "not a valid regular expression",
        ),
        (MINIMAL_RULES + MINIMAL_RULES.split("rules:\n")[1], 8, "already used on line 4"),
        (
            MINIMAL_RULES.replace("concern: crisis", "concern: worry"),
            5,
            "'crisis', 'emergency' or 'prescribing'",
        ),
        (MINIMAL_RULES.replace("    description: a test rule\n", ""), 4, "description"),
        (
            MINIMAL_RULES.replace(
                "    phrases: [want to die]",
                "    phrases: [want to die]\n    phrases: [kill myself]",
            ),
            8,
            "written twice",
        ),
        (
            MINIMAL_RULES.replace("[want to die]", '[want to die, "can i take {pills}"]'),
            7,
            "no list called {pills}",
        ),
        (
            MINIMAL_RULES.replace("    phrases: [want to die]", "    patterns: [kill]"),
            7,
            "repeated letters",
        ),
        (
            MINIMAL_RULES.replace("    phrases: [want to die]", "    patterns: ['(?:kill|die)']"),
            7,
            "repeated letters",
        ),
        (
            MINIMAL_RULES.replace("    phrases: [want to die]", "    phrases: []"),
            4,
            "needs phrases or patterns",
        ),
        (MINIMAL_RULES.replace("rules:", "rulez:"), 3, "unknown key 'rulez'"),
        ("", 1, "expected the keys"),
    ],
    ids=[
        "unclosed-bracket",
        "bad-indent",
        "unknown-key",
        "bad-regex",
        "duplicate-id",
        "unknown-concern",
        "missing-field",
        "repeated-key",
        "unknown-list",
        "doubled-letter-in-pattern",
        "doubled-letter-in-group",
        "no-phrases",
        "misspelt-section",
        "empty-file",
    ],
)
def test_a_broken_rules_file_fails_to_load_naming_file_and_line(
    tmp_path: Path, broken: str, line: int, words: str
):
    path = write(tmp_path, broken)
    with pytest.raises(SafetyRulesError) as raised:
        Screener.load(path)
    problems = str(raised.value).split("; ")
    assert all(problem.startswith(f"{path}, line ") for problem in problems), problems
    assert any(
        problem.startswith(f"{path}, line {line}: ") and words in problem for problem in problems
    ), problems


@pytest.mark.parametrize(
    ("head", "line", "words"),
    [
        ('spelling:\n  replace:\n    dont: do not\n    "don\'t": do not\n', 4, "same as 'dont'"),
        ("spelling:\n  near_misses_of: [die]\n", 2, "near misses need one word"),
        ("spelling:\n  replace:\n    kms: '!!!'\n", 3, "no letters or digits"),
        ("lists:\n  pills: []\n", 2, "at least 1 item"),
        ("lists:\n  pills:\n    - pill*\n    - ... tablets\n", 4, "starts or ends with ..."),
        ("lists:\n  Pills: [pill]\n", 2, "should match pattern"),
    ],
    ids=[
        "duplicate-spelling",
        "short-near-miss",
        "empty-spelling",
        "empty-list",
        "bad-list-item",
        "bad-list-name",
    ],
)
def test_problems_in_spelling_and_lists_name_their_line(
    tmp_path: Path, head: str, line: int, words: str
):
    path = write(tmp_path, head + MINIMAL_RULES)
    with pytest.raises(SafetyRulesError) as raised:
        Screener.load(path)
    assert f"{path}, line {line}: " in str(raised.value)
    assert words in str(raised.value)


def test_a_missing_rules_file_is_reported_by_name(tmp_path: Path):
    with pytest.raises(SafetyRulesError, match=r"nowhere\.yaml: cannot be read"):
        Screener.load(tmp_path / "nowhere.yaml")


def test_a_phrase_a_clinician_adds_to_a_copy_of_the_rules_is_picked_up(tmp_path: Path):
    shipped = RULES.read_text(encoding="utf-8")
    message = "the darkness is winning and I am so tired"
    assert Screener.load(RULES).screen(message) is None
    anchor = "      - nothing to live for\n"
    assert anchor in shipped
    copy = write(tmp_path, shipped.replace(anchor, anchor + "      - darkness is winning\n"))
    assert Screener.load(copy).screen(message) == Match(Concern.CRISIS, "crisis-no-will-to-live")


def test_an_exception_a_clinician_adds_is_picked_up(tmp_path: Path):
    shipped = RULES.read_text(encoding="utf-8")
    message = "I could die happy after that concert"
    assert Screener.load(RULES).screen(message) is not None
    anchor = "    - dead tired\n"
    copy = write(tmp_path, shipped.replace(anchor, anchor + "    - die happy\n"))
    assert Screener.load(copy).screen(message) is None


def test_a_spelling_a_clinician_adds_is_picked_up(tmp_path: Path):
    shipped = RULES.read_text(encoding="utf-8")
    anchor = "    kms: kill myself\n"
    assert anchor in shipped
    copy = write(tmp_path, shipped.replace(anchor, anchor + "    ktm: kill myself\n"))
    assert Screener.load(RULES).screen("might ktm tonight") is None
    assert Screener.load(copy).screen("might ktm tonight").concern is Concern.CRISIS
