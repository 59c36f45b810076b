namespace Likeness.Shared.Search.Briefs;

/// <summary>
/// The words of casting briefs beyond the catalogue's own. Every enum label is already a phrase
/// (<c>BRITISH_RP</c> reads "british rp", plural labels also in the singular: "creator"), every
/// flag is its name's last word ("tattoos", "glasses") and every attribute is named by its words
/// ("hair color", and "hair" alone); this file only adds the everyday forms. A new enum value
/// therefore needs nothing here unless people call it something else.
/// </summary>
/// <remarks>
/// A synonym row is <c>"phrase|phrase", "attribute:LABEL|LABEL", ...</c>: every phrase means all of
/// the row's values together ("actress" is a woman and an actor). Flags take <c>true</c> or
/// <c>false</c>. When several rows (or labels) name the same phrase they are alternatives: the
/// first row is what the phrase means on its own, and a later one is taken only when a word
/// naming its attribute stands next to it ("British" is the country, "British accent" the
/// accent). So the order of rows for one phrase matters; otherwise it does not.
/// </remarks>
internal static class BriefVocabulary
{
    public static IReadOnlyList<(string Phrases, string[] Meanings)> Synonyms { get; } =
    [
        // Who.
        Row("woman|women|female|females|girl|girls|lady|ladies|she|her|hers|feminine", "gender:FEMALE"),
        Row("man|men|male|males|guy|guys|boy|boys|gentleman|he|him|his|masculine", "gender:MALE"),
        Row("nonbinary|enby|genderqueer", "gender:NON_BINARY"),
        Row("actress|actresses", "gender:FEMALE", "category:ACTORS"),
        Row("actor", "category:ACTORS"),
        Row("singer|singers|rapper|rappers|musician|band", "category:MUSICIANS"),
        Row("sportsman|sportswoman|footballer", "category:ATHLETES"),
        Row("content creator|content creators|creator|youtuber|youtubers|tiktoker|tiktokers|vlogger|vloggers", "category:CREATORS"),
        Row("voice actor|voice actors|voiceover artist|voice over artist|voiceover|voice over|narrator|narrators", "category:VOICE_ARTISTS"),
        Row("comic|stand up|standup", "category:COMEDIANS"),
        Row("host|hosts|tv host|anchor|broadcaster", "category:PRESENTERS"),

        // Where: nationality words are the country on their own, the accent or language next to "accent" / "speaking".
        Row("british|english|uk|united kingdom|britain|england|london|scotland|wales|welsh|scottish", "country:UK"),
        Row("american|americans|usa|united states|america", "country:USA"),
        Row("canadian|canadians", "country:CANADA"),
        Row("australian|australians|aussie|aussies", "country:AUSTRALIA"),
        Row("irish", "country:IRELAND"),
        Row("german|germans", "country:GERMANY"),
        Row("french", "country:FRANCE"),
        Row("spanish|spaniard", "country:SPAIN"),
        Row("italian|italians", "country:ITALY"),
        Row("dutch", "country:NETHERLANDS"),
        Row("swedish|swede", "country:SWEDEN"),
        Row("polish", "country:POLAND"),
        Row("brazilian|brazilians", "country:BRAZIL"),
        Row("mexican|mexicans", "country:MEXICO"),
        Row("argentinian|argentine", "country:ARGENTINA"),
        Row("colombian", "country:COLOMBIA"),
        Row("indian", "country:INDIA"),
        Row("japanese", "country:JAPAN"),
        Row("korean|koreans|south korean", "country:SOUTH_KOREA"),
        Row("chinese", "country:CHINA"),
        Row("filipino|filipina|filipinos", "country:PHILIPPINES"),
        Row("nigerian|nigerians", "country:NIGERIA"),
        Row("south african|south africans", "country:SOUTH_AFRICA"),
        Row("emirati|dubai|united arab emirates", "country:UAE"),
        Row("israeli|israelis", "country:ISRAEL"),
        Row("british|english|uk", "accent:BRITISH_RP|BRITISH_REGIONAL"),
        Row("received pronunciation|rp|posh|queens english", "accent:BRITISH_RP"),
        Row("cockney|northern|geordie|scouse|regional british", "accent:BRITISH_REGIONAL"),
        Row("american", "accent:AMERICAN_GENERAL|AMERICAN_SOUTHERN"),
        Row("southern|texan", "accent:AMERICAN_SOUTHERN"),
        Row("aussie", "accent:AUSTRALIAN"),

        // Looks.
        Row("blond|blonde|blondes|fair hair|fair haired|platinum", "hairColor:BLONDE"),
        Row("redhead|redheads|ginger|gingers", "hairColor:RED"),
        Row("brunette|brunettes|light brown", "hairColor:BROWN"),
        Row("blue hair|pink hair|purple hair|green hair|dyed hair|dyed", "hairColor:COLORED"),
        Row("bald|shaved head|shaven head|bald head", "hairColor:BALD"),
        Row("gray|grey|silver|salt and pepper", "hairColor:GRAY"),
        Row("gray|grey", "eyeColor:GRAY"),
        Row("dark", "skinColor:DARK"),
        Row("dark", "hairColor:BLACK|BROWN"),
        Row("dark", "eyeColor:BROWN|BLACK"),
        Row("pale", "skinColor:FAIR"),
        Row("tanned", "skinColor:TAN"),
        Row("shoulder length", "hairLength:MEDIUM"),
        Row("curls", "hairType:CURLY"),
        Row("waves", "hairType:WAVY"),
        Row("afro|coily|coils", "hairType:KINKY"),
        Row("fit|sporty|toned", "bodyType:ATHLETIC"),
        Row("skinny|thin|slender|lean", "bodyType:SLIM"),
        Row("buff|ripped|muscly|bodybuilder", "bodyType:MUSCULAR"),
        Row("curvaceous", "bodyType:CURVY"),
        Row("plus sized|plussize", "bodyType:PLUS_SIZE"),
        Row("white|caucasian", "ethnicity:CAUCASIAN"),
        Row("black", "ethnicity:AFRICAN_AMERICAN|AFRICAN"),
        Row("latina|latino|latinas|latinos|latinx", "ethnicity:HISPANIC"),
        Row("arab", "ethnicity:MIDDLE_EASTERN"),
        Row("mixed race|biracial", "ethnicity:MIXED"),
        Row("indigenous", "ethnicity:NATIVE_AMERICAN"),
        Row("square jaw", "faceShape:SQUARE"),
        Row("beard|beards|bearded", "facialHair:BEARD_SHORT|BEARD_FULL"),
        Row("short beard", "facialHair:BEARD_SHORT"),
        Row("full beard|long beard|big beard", "facialHair:BEARD_FULL"),
        Row("moustache|moustached|mustached", "facialHair:MUSTACHE"),
        Row("stubbly|five o clock shadow", "facialHair:STUBBLE"),
        Row("shaven|shaved|beardless", "facialHair:CLEAN_SHAVEN"),
        Row("facial hair", "facialHair:STUBBLE|BEARD_SHORT|BEARD_FULL|MUSTACHE|GOATEE"),
        Row("tattoo|tattooed|inked|tats", "hasTattoos:true"),
        Row("tattoo free|untattooed", "hasTattoos:false"),
        Row("glasses|spectacles|specs|bespectacled|eyeglasses", "wearGlasses:true"),
        Row("piercing|pierced|nose ring", "hasPiercings:true"),
        Row("blue check|blue tick|checkmark", "isVerified:true"),
        Row("unverified", "isVerified:false"),

        // Voice.
        Row("deep|deep voice|deep voiced|baritone|bass", "voicePitch:LOW|VERY_LOW"),
        Row("very deep", "voicePitch:VERY_LOW"),
        Row("high pitched|squeaky", "voicePitch:HIGH|VERY_HIGH"),
        Row("husky|gravelly|gravel", "voiceTone:RASPY"),
        Row("soothing", "voiceTone:CALM"),
        Row("upbeat|lively", "voiceTone:ENERGETIC"),

        // What they post and where.
        Row("fitness|gym|workout|workouts", "contentNiche:FITNESS"),
        Row("gaming|gamer|gamers|esports", "contentNiche:GAMING"),
        Row("tech|technology", "contentNiche:TECH"),
        Row("business|finance|entrepreneur", "contentNiche:BUSINESS"),
        Row("foodie|cooking|chef|recipes", "contentNiche:FOOD"),
        Row("mom|mum|moms|mums|mommy|mother", "contentNiche:PARENTING", "gender:FEMALE"),
        Row("dad|dads|daddy|father", "contentNiche:PARENTING", "gender:MALE"),
        Row("parent|parents|parenting", "contentNiche:PARENTING"),
        Row("makeup|skincare", "contentNiche:BEAUTY"),
        Row("ig|insta", "primaryPlatform:INSTAGRAM"),
        Row("tik tok", "primaryPlatform:TIKTOK"),
        Row("yt", "primaryPlatform:YOUTUBE"),
        Row("streamer|streamers", "primaryPlatform:TWITCH"),
    ];

    /// <summary>
    /// Words that name an attribute beside its own words: a value next to one of these is that
    /// attribute's ("brown eyes"), and the word itself is used up by the value.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Heads { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["targetAudience"] = "audience|audiences",
        ["primaryPlatform"] = "platform",
        ["contentNiche"] = "niche|content",
        ["bodyType"] = "build|figure|physique|body",
        ["hairColor"] = "haired|hair colour",
        ["hairLength"] = "haired",
        ["hairType"] = "haired",
        ["eyeColor"] = "eyes|eyed|eye colour",
        ["skinColor"] = "skinned|complexion|skin tone|skin colour",
        ["faceShape"] = "faced|shaped face",
        ["facialHair"] = "beard",
        ["voicePitch"] = "voiced|pitch|pitched|voices",
        ["voiceTone"] = "voiced|tone|voices",
        ["accent"] = "accents|accented",
        ["primaryLanguage"] = "language|speaker|speakers|speaking|speaks|speak|native|fluent",
    };

    /// <summary>
    /// Labels too common in other senses to be read without their attribute's word next to them:
    /// "professional" in a brief is rarely the voice, "average" rarely the build.
    /// </summary>
    public static IReadOnlySet<string> NeedContext { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "voiceTone:PROFESSIONAL", "voiceTone:SOFT", "bodyType:AVERAGE", "accent:NEUTRAL",
    };

    /// <summary>Words that turn the next value around ("no tattoos", "without glasses", "not blonde").</summary>
    public static IReadOnlySet<string> Negators { get; } = Set("no|not|without|never|non|nor|isn|doesn|don|dont|doesnt|isnt");

    /// <summary>
    /// Words that carry no attribute and mean nothing to the embedding either; they are dropped from
    /// the words left over, and a negation or a value's context reaches across them.
    /// </summary>
    public static IReadOnlySet<string> Fillers { get; } = Set(
        "a|an|the|and|or|with|in|on|of|for|to|from|at|by|who|that|is|are|be|has|have|having|wears|wearing|wear|any|some|"
        + "visible|based|living|lives|located|looking|look|want|wanted|need|needed|needs|seeking|find|someone|somebody|"
        + "person|people|talent|talents|please|i|we|our|ideally|preferably|must|should|type|kind|like|ish|shaped|very|"
        + "also|plus|both|either|s|t");

    /// <summary>Connectors a negation carries across: "no tattoos or piercings".</summary>
    public static IReadOnlySet<string> Alternatives { get; } = Set("or|nor");

    private static (string Phrases, string[] Meanings) Row(string phrases, params string[] meanings) => (phrases, meanings);

    private static HashSet<string> Set(string words) => new(words.Split('|'), StringComparer.Ordinal);
}
