using System.Globalization;
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
    /// <returns>The query, or null with every problem in <paramref name="errors"/>, keyed by field.</returns>
    public static SearchQuery? Validate(SearchFields fields, SearchOptions options, bool acceptsText, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(options);
        var read = new FieldReader(fields, errors);
        var filters = SearchAttributeCatalog.All.Aggregate(new SearchFilters(), read.Filter);
        var text = acceptsText ? read.Text(SearchRequestFields.Text) : null;
        var strict = acceptsText ? read.Attributes(SearchRequestFields.Strict.Name, SearchOptions.NoStrictAttributes) : null;
        // Facets count exact matches, which the lookalike search has none of.
        var facets = acceptsText ? read.Facets(SearchRequestFields.Facets.Name) : null;
        var assetType = read.OneOf<AssetType>(SearchRequestFields.AssetType.Name);
        var limit = read.Number(SearchRequestFields.Limit, options);
        var offset = read.Number(SearchRequestFields.Offset, options);
        read.RejectUnknownFields();
        return errors.Any ? null : new SearchQuery
        {
            Filters = filters,
            Text = text,
            Strict = strict,
            AssetType = assetType,
            Limit = limit ?? SearchRequestFields.Limit.Default(options),
            Offset = offset ?? SearchRequestFields.Offset.Default(options),
            Facets = facets,
        };
    }

    /// <summary>Reads fields by name, noting each name it was asked for so that every other one can be rejected.</summary>
    private sealed class FieldReader(SearchFields fields, FieldErrors errors)
    {
        private readonly HashSet<string> known = new(StringComparer.Ordinal);

        /// <summary>The attribute's filter from its field (or, for a range, its two fields) added to <paramref name="filters"/>.</summary>
        public SearchFilters Filter(SearchFilters filters, SearchAttribute attribute) => attribute switch
        {
            FlagAttribute flag => Flag(flag.Name) is { } value ? flag.WithOrdinals(filters, [value ? 1 : 0]) : filters,
            DiscreteAttribute discrete => AnyOf(discrete) is { } ordinals ? discrete.WithOrdinals(filters, ordinals) : filters,
            RangeAttribute range => Range(range) is var (low, high) && (low, high) is not (null, null) ? range.WithRange(filters, low, high) : filters,
            _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute.Name, "An attribute of unknown kind."),
        };

        /// <summary>The ordinals of the values given.</summary>
        private List<int>? AnyOf(DiscreteAttribute attribute)
        {
            if (Labels(attribute.Name) is not { } labels)
            {
                return null;
            }
            var ordinals = new List<int>();
            foreach (var label in labels)
            {
                var ordinal = attribute.OrdinalOfLabel(label);
                if (ordinal < 0)
                {
                    errors.Add(attribute.Name, $"Unknown value '{label}'; allowed (any case): {Allowed(attribute)}.");
                    continue;
                }
                ordinals.Add(ordinal);
            }
            return [.. ordinals.Distinct()];
        }

        /// <summary>
        /// The strings of a list field, the same way for every list: a JSON array of strings,
        /// repeated query keys, comma-separated text, or any mix. Null when absent or invalid.
        /// </summary>
        private List<string>? Labels(string name)
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
            var labels = new List<string>();
            foreach (var value in given.Values)
            {
                if (value.Kind is not (FieldValueKind.QueryText or FieldValueKind.String))
                {
                    errors.Add(name, "Each value must be a string.");
                    return null;
                }
                labels.AddRange(value.Kind == FieldValueKind.QueryText ? value.Text.Split(',', StringSplitOptions.TrimEntries) : [value.Text]);
            }
            return labels.Count == 0 ? null : labels;
        }

        /// <summary>
        /// Attribute names (as the API spells them) given as a list; <paramref name="none"/> alone
        /// stands for the empty list. Null when the field is absent.
        /// </summary>
        public IReadOnlyList<SearchAttribute>? Attributes(string name, string none)
        {
            if (Labels(name) is not { } labels)
            {
                return null;
            }
            if (labels is [var only] && only == none)
            {
                return [];
            }
            var attributes = new List<SearchAttribute>();
            foreach (var label in labels)
            {
                if (SearchAttributeCatalog.Find(label) is { } attribute)
                {
                    attributes.Add(attribute);
                }
                else
                {
                    errors.Add(name, $"Unknown attribute '{label}'; give attribute names ({string.Join(", ", SearchAttributeCatalog.All.Select(a => a.Name))}) or {none}.");
                }
            }
            return [.. attributes.Distinct()];
        }

        /// <summary>Names of enum and boolean attributes, as a list, repeated keys or comma-separated text; <see cref="SearchRequestFields.AllFacets"/> names every one.</summary>
        public List<string>? Facets(string name)
        {
            if (Labels(name) is not { } labels)
            {
                return null;
            }
            var names = new List<string>();
            foreach (var label in labels)
            {
                if (label == SearchRequestFields.AllFacets)
                {
                    names.AddRange(SearchAttributeCatalog.Discrete.Select(a => a.Name));
                }
                else if (SearchAttributeCatalog.Find(label) is DiscreteAttribute attribute)
                {
                    names.Add(attribute.Name);
                }
                else
                {
                    errors.Add(name, $"Unknown attribute '{label}'; facets are counted for enum and boolean attributes: {SearchRequestFields.AllFacets}, "
                        + $"{string.Join(", ", SearchAttributeCatalog.Discrete.Select(a => a.Name))}.");
                }
            }
            return [.. names.Distinct()];
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
            errors.Add(name, $"Must be one of (any case): {string.Join(", ", DbEnum<T>.AllLabels)}.");
            return null;
        }

        private bool? Flag(string name)
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

        public string? Text(TextSearchField field)
        {
            var (name, maxLength) = (field.Name, field.MaxLength);
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

        /// <summary>A whole number within the field's bounds when given.</summary>
        public int? Number(WholeSearchField field, SearchOptions options)
        {
            if (Single(field.Name) is not { } value)
            {
                return null;
            }
            if (value.Kind is not (FieldValueKind.QueryText or FieldValueKind.Number)
                || !int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                errors.Add(field.Name, "Must be a whole number.");
                return null;
            }
            var (min, max) = (field.Min, field.Max(options));
            if (number < min || (max is { } most && number > most))
            {
                errors.Add(field.Name, max is { } m ? $"Must be from {min} to {m}." : $"Must be {min} or more.");
                return null;
            }
            return number;
        }

        /// <summary>An inclusive range of non-negative numbers; either end may be left out.</summary>
        private (double? Min, double? Max) Range(RangeAttribute attribute)
        {
            var (low, high) = (Bound(attribute, attribute.MinName), Bound(attribute, attribute.MaxName));
            if (low is { } from && high is { } to && from > to)
            {
                errors.Add(attribute.MinName, $"Must not be above {attribute.MaxName} ({to.ToString(CultureInfo.InvariantCulture)}).");
            }
            return (low, high);
        }

        private double? Bound(RangeAttribute attribute, string name)
        {
            if (Single(name) is not { } value)
            {
                return null;
            }
            if (value.Kind is not (FieldValueKind.QueryText or FieldValueKind.Number) || !attribute.TryParse(value.Text, out var number))
            {
                errors.Add(name, attribute.IsWhole ? "Must be a whole number." : "Must be a number.");
                return null;
            }
            if (number < 0)
            {
                errors.Add(name, "Must be 0 or more.");
                return null;
            }
            return number;
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

        private static string Allowed(DiscreteAttribute attribute) => string.Join(", ", attribute.Labels);
    }
}
