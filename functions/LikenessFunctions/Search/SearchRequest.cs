using System.Globalization;
using System.Numerics;
using Likeness.Shared.Data;
using Likeness.Shared.Search;
using LikenessFunctions.Http;

namespace LikenessFunctions.Search;

/// <summary>
/// The rules of a search request, written once for GET (query string) and POST (JSON body) and
/// for the lookalike search: which fields exist, their types, allowed values and ranges.
/// </summary>
public static class SearchRequest
{
    /// <summary>The free-text field, which only the search (not the lookalike search) takes.</summary>
    public const string TextField = "q";

    /// <returns>The query, or null with every problem in <paramref name="errors"/>, keyed by field.</returns>
    public static SearchQuery? Validate(SearchFields fields, SearchOptions options, bool acceptsText, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(options);
        var read = new FieldReader(fields, errors);
        var followers = read.Range<long>("minFollowers", "maxFollowers");
        var engagementRate = read.Range<double>("minEngagementRate", "maxEngagementRate");
        var birthYear = read.Range<int>("minBirthYear", "maxBirthYear");
        var height = read.Range<int>("minHeight", "maxHeight");
        var weight = read.Range<int>("minWeight", "maxWeight");
        var filters = new SearchFilters
        {
            Categories = read.AnyOf<Category>("category"),
            Genders = read.AnyOf<Gender>("gender"),
            Countries = read.AnyOf<Country>("country"),
            TargetAudiences = read.AnyOf<TargetAudience>("targetAudience"),
            ContentNiches = read.AnyOf<ContentNiche>("contentNiche"),
            PrimaryPlatforms = read.AnyOf<Platform>("primaryPlatform"),
            BodyTypes = read.AnyOf<BodyType>("bodyType"),
            HairColors = read.AnyOf<HairColor>("hairColor"),
            HairLengths = read.AnyOf<HairLength>("hairLength"),
            HairTypes = read.AnyOf<HairType>("hairType"),
            EyeColors = read.AnyOf<EyeColor>("eyeColor"),
            SkinColors = read.AnyOf<SkinColor>("skinColor"),
            Ethnicities = read.AnyOf<Ethnicity>("ethnicity"),
            FaceShapes = read.AnyOf<FaceShape>("faceShape"),
            FacialHairStyles = read.AnyOf<FacialHair>("facialHair"),
            VoicePitches = read.AnyOf<VoicePitch>("voicePitch"),
            VoiceTones = read.AnyOf<VoiceTone>("voiceTone"),
            Accents = read.AnyOf<Accent>("accent"),
            PrimaryLanguages = read.AnyOf<Language>("primaryLanguage"),
            IsVerified = read.Flag("isVerified"),
            WearGlasses = read.Flag("wearGlasses"),
            HasTattoos = read.Flag("hasTattoos"),
            HasPiercings = read.Flag("hasPiercings"),
            MinFollowers = followers.Min,
            MaxFollowers = followers.Max,
            MinEngagementRate = engagementRate.Min,
            MaxEngagementRate = engagementRate.Max,
            MinBirthYear = birthYear.Min,
            MaxBirthYear = birthYear.Max,
            MinHeight = height.Min,
            MaxHeight = height.Max,
            MinWeight = weight.Min,
            MaxWeight = weight.Max,
        };
        var text = acceptsText ? read.Text(TextField, SearchQuery.MaxTextLength) : null;
        var assetType = read.OneOf<AssetType>("assetType");
        var limit = read.Number<int>("limit", 1, options.MaxLimit);
        var offset = read.Number<int>("offset", 0);
        read.RejectUnknownFields();
        return errors.Any ? null : new SearchQuery
        {
            Filters = filters,
            Text = text,
            AssetType = assetType,
            Limit = limit ?? options.DefaultLimit,
            Offset = offset ?? 0,
        };
    }

    /// <summary>Reads fields by name, noting each name it was asked for so that every other one can be rejected.</summary>
    private sealed class FieldReader(SearchFields fields, FieldErrors errors)
    {
        private readonly HashSet<string> known = new(StringComparer.Ordinal);

        public IReadOnlyList<T>? AnyOf<T>(string name) where T : struct, Enum
        {
            if (Get(name) is not { } given)
            {
                return null;
            }
            if (given is { IsArray: true, Values.Count: 0 })
            {
                errors.Add(name, "Give at least one value, or leave the field out.");
                return null;
            }
            if (given is not { Values.Count: > 0 } input)
            {
                return null;
            }
            var values = new List<T>();
            foreach (var value in input.Values)
            {
                if (value.Kind is not (FieldValueKind.QueryText or FieldValueKind.String))
                {
                    errors.Add(name, $"Each value must be a string, one of: {Allowed<T>()}.");
                }
                else if (DbEnum<T>.TryParse(value.Text, out var parsed))
                {
                    values.Add(parsed);
                }
                else
                {
                    errors.Add(name, $"Unknown value '{value.Text}'; allowed (any case): {Allowed<T>()}.");
                }
            }
            return values.Distinct().ToList();
        }

        public T? OneOf<T>(string name) where T : struct, Enum
        {
            if (Single(name) is not { } value)
            {
                return null;
            }
            if (value.Kind is (FieldValueKind.QueryText or FieldValueKind.String) && DbEnum<T>.TryParse(value.Text, out var parsed))
            {
                return parsed;
            }
            errors.Add(name, $"Must be one of (any case): {Allowed<T>()}.");
            return null;
        }

        public bool? Flag(string name)
        {
            if (Single(name) is not { } value)
            {
                return null;
            }
            if (value.Kind is (FieldValueKind.Boolean or FieldValueKind.QueryText) && bool.TryParse(value.Text, out var flag))
            {
                return flag;
            }
            errors.Add(name, "Must be true or false.");
            return null;
        }

        public string? Text(string name, int maxLength)
        {
            if (Single(name) is not { } value)
            {
                return null;
            }
            if (value.Kind is not (FieldValueKind.QueryText or FieldValueKind.String))
            {
                errors.Add(name, "Must be a string.");
                return null;
            }
            if (value.Text.Length > maxLength)
            {
                errors.Add(name, $"At most {maxLength} characters.");
                return null;
            }
            if (InputRules.HasNul(value.Text))
            {
                errors.Add(name, "Must not contain NUL characters.");
                return null;
            }
            return string.IsNullOrWhiteSpace(value.Text) ? null : value.Text.Trim();
        }

        /// <summary>A number of at least <paramref name="min"/> and at most <paramref name="max"/> when given; whole for integer types.</summary>
        public T? Number<T>(string name, T min, T? max = null) where T : struct, INumber<T>
        {
            if (Single(name) is not { } value)
            {
                return null;
            }
            var whole = typeof(T) != typeof(double);
            var style = whole ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
            if (value.Kind is not (FieldValueKind.QueryText or FieldValueKind.Number)
                || !T.TryParse(value.Text, style, CultureInfo.InvariantCulture, out var number)
                || !T.IsFinite(number))
            {
                errors.Add(name, whole ? "Must be a whole number." : "Must be a number.");
                return null;
            }
            if (number < min || (max is { } most && number > most))
            {
                errors.Add(name, max is { } m ? $"Must be from {min} to {m}." : $"Must be {min} or more.");
                return null;
            }
            return number;
        }

        /// <summary>An inclusive range of non-negative numbers; either end may be left out.</summary>
        public (T? Min, T? Max) Range<T>(string minName, string maxName) where T : struct, INumber<T>
        {
            var (low, high) = (Number(minName, T.Zero), Number(maxName, T.Zero));
            if (low is { } from && high is { } to && from > to)
            {
                errors.Add(minName, $"Must not be above {maxName} ({to}).");
            }
            return (low, high);
        }

        public void RejectUnknownFields()
        {
            foreach (var name in fields.Names.Where(n => !known.Contains(n)))
            {
                errors.Add(name, "Unknown field.");
            }
        }

        private FieldInput? Get(string name)
        {
            known.Add(name);
            return fields[name];
        }

        /// <summary>The field's one value; null when absent, or (with an error) when a list or several values were given.</summary>
        private FieldValue? Single(string name)
        {
            if (Get(name) is not { } input || (input.Values.Count == 0 && !input.IsArray))
            {
                return null;
            }
            if (input.IsArray || input.Values.Count > 1)
            {
                errors.Add(name, "Takes a single value, not a list.");
                return null;
            }
            return input.Values[0];
        }

        private static string Allowed<T>() where T : struct, Enum => string.Join(", ", DbEnum<T>.AllLabels);
    }
}
