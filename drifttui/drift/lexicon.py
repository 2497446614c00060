"""Word lists the claim extractor needs: occupations, animals, family words (and reading occupations off a text).

Kept small and general (not tuned to any persona): an occupation claim is
only recognised for a noun in :data:`OCCUPATIONS`, and two occupations are
compatible when they share a group in :data:`OCCUPATION_GROUPS`.
"""

from __future__ import annotations

from drifttui.drift.text import normalize

OCCUPATION_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(g.split(","))
    for g in (
        "dentist,dental surgeon,orthodontist,hygienist,dental hygienist",
        "doctor,physician,gp,surgeon,medic,paediatrician,pediatrician,psychiatrist,cardiologist,oncologist,resident,intern",
        "nurse,midwife,paramedic,carer,caregiver",
        "pharmacist,chemist",
        "vet,veterinarian",
        "professor,lecturer,academic,teacher,tutor,scholar,philosopher,researcher,don,educator",
        "teacher,schoolteacher,tutor,educator,headteacher,headmistress,headmaster,instructor,coach",
        "student,undergrad,undergraduate,sophomore,freshman,junior,senior,grad student,postgrad,phd student,pupil",
        "chef,cook,baker,pastry chef,patissier,pâtissier,sous chef,line cook,confectioner",
        "waiter,waitress,server,bartender,barista,barman,barmaid",
        "programmer,developer,software engineer,engineer,coder,software developer,web developer,sysadmin,data scientist",
        "engineer,civil engineer,mechanical engineer,electrical engineer",
        "farmer,shepherd,rancher,crofter,farmhand,dairyman,beekeeper",
        "captain,sailor,skipper,seaman,mariner,fisherman,ferryman,deckhand,navigator",
        "pilot,aviator,flight attendant,stewardess",
        "dancer,ballerina,choreographer,dance teacher",
        "singer,musician,guitarist,drummer,pianist,violinist,cellist,composer,songwriter,dj",
        "actor,actress,performer,comedian",
        "writer,author,novelist,poet,journalist,reporter,editor,columnist,blogger,screenwriter",
        "painter,artist,sculptor,illustrator,designer,graphic designer,photographer,animator",
        "lawyer,attorney,solicitor,barrister,judge,paralegal",
        "accountant,bookkeeper,auditor,banker,financial advisor,trader,economist,actuary",
        "police officer,policeman,policewoman,cop,detective,sheriff,constable,officer",
        "firefighter,fireman",
        "soldier,marine,sergeant,lieutenant,colonel,general",
        "nun,sister,priest,vicar,pastor,minister,monk,rabbi,imam,chaplain,reverend",
        "librarian,archivist",
        "mechanic,electrician,plumber,carpenter,builder,bricklayer,welder,joiner,roofer,handyman",
        "driver,taxi driver,cabbie,trucker,truck driver,bus driver,chauffeur,courier,carter,drayman,coachman",
        "boatman,bargeman,bargee,waterman,lighterman,lock-keeper,lock keeper",
        "porter,railway porter,hospital porter,signalman,railwayman",
        "shopkeeper,cashier,salesman,saleswoman,retailer,shop assistant,clerk",
        "manager,ceo,founder,entrepreneur,executive,director,boss",
        "scientist,biologist,chemist,physicist,geologist,astronomer,mathematician",
        "architect,urban planner",
        "gardener,landscaper,florist",
        "hairdresser,barber,stylist,beautician",
        "butcher,fishmonger,grocer",
        "cleaner,janitor,housekeeper,caretaker",
        "receptionist,secretary,assistant,administrator,pa",
        "translator,interpreter",
        "psychologist,therapist,counsellor,counselor,social worker",
        "miner,lumberjack,forester,ranger",
        "streamer,youtuber,influencer,gamer",
        "tailor,seamstress,dressmaker",
        "cobbler,shoemaker,cordwainer,bootmaker",
        "cooper,wheelwright,thatcher,ropemaker",
        "jeweller,jeweler,watchmaker,potter,blacksmith",
        "astronaut,explorer,adventurer,expedition leader",
        "pawnbroker,moneylender,dealer",
        "retiree,pensioner",
    )
)

OCCUPATIONS: frozenset[str] = frozenset().union(*OCCUPATION_GROUPS)

AMBIGUOUS_OCCUPATIONS = frozenset({"sister", "junior", "senior", "general", "don", "minister", "judge", "assistant", "pa", "officer", "server", "marine", "coach", "director", "boss", "founder", "gamer"})
"""Nouns that are occupations only sometimes ("I'm a junior", "I'm the boss"); weaker evidence."""


def occupations_in(text: str) -> list[str]:
    """The occupation nouns of ``text`` (longest first; "junior accountant" is an accountant), plus "retired" if it says so."""
    words = normalize(text).split()
    found: list[str] = []
    for n in (3, 2, 1):
        for i in range(0, len(words) - n + 1):
            cand = " ".join(words[i : i + n])
            if cand in OCCUPATIONS and not any(cand in f for f in found):
                found.append(cand)
    if any(f not in AMBIGUOUS_OCCUPATIONS for f in found):
        found = [f for f in found if f not in AMBIGUOUS_OCCUPATIONS]  # "junior accountant" is an accountant
    if "retired" in words:
        found.append("retired")
    return found

EVALUATIVE = frozenset(
    """good bad terrible awful great decent lousy poor fine proper real total complete big huge massive little tiny
    keen amateur natural born hopeless useless brilliant excellent fantastic wonderful horrible lazy sloppy messy
    better worse best worst failed frustrated aspiring wannabe former ex retired part-time weekend hobby bit sort
    kind type morning night early late light heavy picky fussy nervous anxious""".split()
)
"""Adjectives that turn "I'm a terrible cook" into self-description rather than an occupation claim."""

SPECIES: dict[str, str] = {
    **dict.fromkeys("dog,dogs,puppy,puppies,pup,hound,mutt,labrador,retriever,collie,terrier,spaniel,poodle,beagle,"
                    "dachshund,bulldog,pug,husky,greyhound,whippet,shepherd dog,alsatian,corgi,chihuahua,sheepdog,"
                    "rottweiler,dalmatian,schnauzer,mastiff,lurcher,pit bull".split(","), "dog"),
    **dict.fromkeys("cat,cats,kitten,kittens,kitty,tomcat,tabby,moggy,moggie".split(","), "cat"),
    **dict.fromkeys("bird,birds,parrot,parrots,budgie,budgies,parakeet,canary,cockatiel,cockatoo,macaw,african grey,"
                    "finch,lovebird,chicken,chickens,hen,hens,duck,ducks,goose,pigeon,raven,ravens,crow,crows,magpie,jackdaw,owl,owls,"
                    "hawk,falcon,robin,robins,wren,wrens,sparrow,sparrows,blackbird,starling,thrush,bluetit,blue tit,swallow,"
                    "kestrel,buzzard,heron,gull,seagull,peacock,turkey,quail,cockerel,rooster".split(","), "bird"),
    **dict.fromkeys("ferret,ferrets".split(","), "ferret"),
    **dict.fromkeys("rabbit,rabbits,bunny,bunnies".split(","), "rabbit"),
    **dict.fromkeys("hamster,hamsters,gerbil,gerbils,guinea pig,guinea pigs,mouse,mice,rat,rats,chinchilla".split(","), "rodent"),
    **dict.fromkeys("fish,goldfish,koi,betta".split(","), "fish"),
    **dict.fromkeys("snake,snakes,lizard,lizards,gecko,iguana,tortoise,turtle,chameleon,bearded dragon".split(","), "reptile"),
    **dict.fromkeys("horse,horses,pony,ponies,donkey,mare,stallion,mule".split(","), "horse"),
    **dict.fromkeys("goat,goats".split(","), "goat"),
    **dict.fromkeys("pig,pigs".split(","), "pig"),
}  # fmt: skip

PET_SPECIES_WORDS = frozenset(SPECIES)

BEINGS: dict[str, str] = {
    **{w: k for w, k in SPECIES.items() if " " not in w},
    **dict.fromkeys("fox,foxes,vixen".split(","), "fox"),
    **dict.fromkeys("wolf,wolves".split(","), "wolf"),
    **dict.fromkeys("bear,bears".split(","), "bear"),
    **dict.fromkeys("owl,owls".split(","), "owl"),
    **dict.fromkeys("badger,badgers".split(","), "badger"),
    **dict.fromkeys("deer,stag,doe".split(","), "deer"),
    **dict.fromkeys("squirrel,squirrels".split(","), "squirrel"),
    **dict.fromkeys("dragon,dragons".split(","), "dragon"),
    **dict.fromkeys("human,humans,person,man,woman,guy,girl,boy,lady,gentleman,human being".split(","), "human"),
    **dict.fromkeys("robot,android,cyborg".split(","), "robot"),
}  # fmt: skip
"""What a first-person "I'm a …" can say the speaker *is*: word → kind ("vixen" → fox)."""

BEING_IDIOMS = frozenset(
    " ".join(p.split())
    for p in """night owl|lone wolf|early bird|top dog|lucky dog|sly dog|old dog|cool cat|fat cat|scaredy cat|copy cat|guinea pig|
    lab rat|gym rat|rug rat|pack rat|mall rat|party animal|cat person|dog person|people person|morning person|
    night person|bird brain|dark horse|work horse|workhorse|cold fish|big fish|odd fish|queer fish|lame duck|
    sitting duck|mother hen|social butterfly|busy bee|grizzly bear|teddy bear|bear of a|ladies man|family man|
    man of|woman of|people's person|mama bear|papa bear|pig headed|night bus|fox news|silver fox""".replace("\n", " ").split("|")
)
"""Phrases in which an animal word describes a human ("a night owl"), not what the speaker is."""

KIN_CHILD = {"son": "son", "sons": "son", "daughter": "daughter", "daughters": "daughter", "child": "child",
             "children": "child", "kid": "child", "kids": "child", "boy": "son", "girl": "daughter",
             "baby": "child", "twins": "child", "boys": "son", "girls": "daughter", "lads": "son", "lasses": "daughter", "young'uns": "child",
             "younguns": "child", "youngsters": "child", "bairns": "child", "weans": "child", "kiddos": "child", "little ones": "child", "cubs": "child", "cub": "child", "kits": "child",
             "pups": "child", "stepson": "son", "stepdaughter": "daughter"}  # fmt: skip
KIN_SIBLING = {"brother": "brother", "brothers": "brother", "sister": "sister", "sisters": "sister",
               "sibling": "sibling", "siblings": "sibling", "twin": "sibling", "twin brother": "brother",
               "twin sister": "sister", "half-brother": "brother", "half-sister": "sister", "stepbrother": "brother",
               "stepsister": "sister"}  # fmt: skip
KIN_PARTNER = {"husband": "husband", "wife": "wife", "partner": "partner", "boyfriend": "boyfriend",
               "girlfriend": "girlfriend", "fiance": "fiance", "fiancé": "fiance", "fiancee": "fiance",
               "fiancée": "fiance", "spouse": "partner", "missus": "wife", "missis": "wife", "hubby": "husband",
               "other half": "partner", "better half": "partner"}  # fmt: skip

PARTNER_STATUS = {
    "single": "single", "unmarried": "single", "married": "married", "divorced": "divorced", "separated": "divorced",
    "widow": "widowed", "widower": "widowed", "widowed": "widowed", "engaged": "engaged", "dating": "dating",
    "courting": "dating", "walking out": "dating", "going steady": "dating", "seeing each other": "dating",
}  # fmt: skip
"""Relationship words → status. Statuses that cannot hold at once are checked in :data:`STATUS_CONFLICTS`."""

STATUS_CONFLICTS = frozenset(
    {
        frozenset({"single", "married"}), frozenset({"single", "engaged"}), frozenset({"divorced", "married"}),
        frozenset({"widowed", "married"}), frozenset({"widowed", "divorced"}), frozenset({"single", "dating"}),
        frozenset({"engaged", "married"}), frozenset({"dating", "married"}),
    }
)  # fmt: skip

NUMBER_WORDS_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                      "eight": 8, "nine": 9, "ten": 10, "both": 2, "twin": 2, "twins": 2}  # fmt: skip


def count_of(word: str | None) -> int | None:
    """The number a count word means ("two" → 2, "no" → 0, "any" → unknown)."""
    if word is None:
        return None
    w = word.lower()
    if w in ("no",):
        return 0
    if w == "any":
        return None
    if w.isdigit():
        return int(w)
    return NUMBER_WORDS_SMALL.get(w)
