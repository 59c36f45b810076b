using System.Numerics;
using Likeness.Shared.Data;

namespace Likeness.Shared.Search.ReadModel;

/// <summary>
/// An immutable in-memory copy of <c>likeness_search</c> that answers exact and partial searches
/// as <see cref="LikenessSearchAccess.SearchByFiltersAsync"/>,
/// <see cref="LikenessSearchAccess.SearchPartialAsync"/> and
/// <see cref="LikenessSearchAccess.CountFacetsAsync"/> do, without the database.
/// </summary>
/// <remarks>
/// The rows are kept in result order (most followers first, unknown last, then account id in
/// byte order), so a position is a rank: each discrete attribute value has a bitset over
/// positions, each range attribute a column of values (NaN when unknown). A filter is an AND over
/// attributes of an OR of value bitsets or a range mask, the total and every facet count are
/// popcounts, and a page is the set bits after the offset. A partial search counts, for each row
/// the strict filters keep, the other attributes' masks it is in, and pages by that count. At
/// 100,000 rows a bitset is 1,563 words. Readers share a snapshot without locks; a change builds
/// a new one.
/// </remarks>
public sealed class SearchSnapshot
{
    private static readonly Dictionary<SearchAttribute, int> DiscreteIndex =
        SearchAttributeCatalog.Discrete.Select((a, i) => (Attribute: (SearchAttribute)a, Index: i)).ToDictionary(p => p.Attribute, p => p.Index);

    private static readonly Dictionary<SearchAttribute, int> RangeIndex =
        SearchAttributeCatalog.Ranges.Select((a, i) => (Attribute: (SearchAttribute)a, Index: i)).ToDictionary(p => p.Attribute, p => p.Index);

    private readonly LikenessSearchRow[] rows;
    private readonly Dictionary<string, int> positions;
    private readonly ulong[][][] valueBits;
    private readonly double[][] rangeValues;
    private readonly ulong[] everyRow;

    private SearchSnapshot(LikenessSearchRow[] rows)
    {
        this.rows = rows;
        var words = (rows.Length + 63) / 64;
        positions = new Dictionary<string, int>(rows.Length, StringComparer.Ordinal);
        valueBits = [.. SearchAttributeCatalog.Discrete.Select(a => Enumerable.Range(0, a.Labels.Count).Select(_ => new ulong[words]).ToArray())];
        rangeValues = [.. SearchAttributeCatalog.Ranges.Select(_ => new double[rows.Length])];
        everyRow = new ulong[words];
        for (var position = 0; position < rows.Length; position++)
        {
            var (word, bit) = (position >> 6, 1UL << (position & 63));
            var attributes = rows[position].Attributes;
            positions.Add(rows[position].AccountId, position);
            everyRow[word] |= bit;
            for (var d = 0; d < valueBits.Length; d++)
            {
                if (SearchAttributeCatalog.Discrete[d].OrdinalOf(attributes) is >= 0 and var ordinal)
                {
                    valueBits[d][ordinal][word] |= bit;
                }
            }
            for (var r = 0; r < rangeValues.Length; r++)
            {
                rangeValues[r][position] = SearchAttributeCatalog.Ranges[r].NumberOf(attributes) ?? double.NaN;
            }
        }
    }

    public static SearchSnapshot Empty { get; } = new([]);

    public int Count => rows.Length;

    /// <summary>The bytes of the bitsets and range columns (not the rows they index).</summary>
    public long IndexBytes => 8L * everyRow.Length * (1 + valueBits.Sum(values => values.Length)) + 8L * rows.Length * rangeValues.Length;

    /// <summary>A snapshot of <paramref name="source"/>, which must hold each account once.</summary>
    public static SearchSnapshot Build(IEnumerable<LikenessSearchRow> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sorted = source.ToArray();
        Array.Sort(sorted, ResultOrder);
        return new SearchSnapshot(sorted);
    }

    /// <summary>The account's row, or null when it has none.</summary>
    public LikenessSearchRow? Find(string accountId) => positions.TryGetValue(accountId, out var position) ? rows[position] : null;

    /// <summary>
    /// The page of rows matching <paramref name="filters"/> in result order, the exact number of
    /// all matches, and the facet counts of <paramref name="facets"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A bad page, or a range with NaN or its minimum above its maximum (as the SQL path refuses them).</exception>
    public ExactMatches Search(SearchFilters filters, int limit, int offset, IReadOnlyList<DiscreteAttribute> facets)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(facets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LikenessSearchAccess.MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);

        var masks = new List<(SearchAttribute Attribute, ulong[] Mask)>();
        foreach (var attribute in SearchAttributeCatalog.All.Where(a => a.IsFiltered(filters)))
        {
            masks.Add((attribute, Mask(attribute, filters)));
        }
        var matches = And(masks, except: null);
        var counts = new Dictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var facet in facets)
        {
            // The faceted-search rule: a facet's counts ignore its own filter.
            var basis = masks.Any(m => m.Attribute == facet) ? And(masks, except: facet) : matches;
            var values = valueBits[DiscreteIndex[facet]];
            var byOrdinal = new long[values.Length];
            for (var ordinal = 0; ordinal < values.Length; ordinal++)
            {
                byOrdinal[ordinal] = CountBoth(basis, values[ordinal]);
            }
            counts[facet.Name] = SearchFacets.Counts(facet, byOrdinal);
        }
        return new ExactMatches(Page(matches, limit, offset), PopCount(matches), counts);
    }

    /// <inheritdoc cref="LikenessSearchAccess.SearchPartialAsync"/>
    public LikenessSearchPage SearchPartial(SearchFilters filters, IReadOnlyCollection<SearchAttribute> strict, int limit, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, LikenessSearchAccess.MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var (required, counted) = SearchAttributeCatalog.PartialSplit(filters, strict);
        var candidates = And([.. required.Select(a => (a, Mask(a, filters)))], except: null);
        var countedMasks = counted.Select(a => Mask(a, filters)).ToList();
        if (counted.Count < 2)
        {
            return new LikenessSearchPage([], 0);
        }
        // How many counted attributes each candidate meets, then how many candidates meet each number.
        var met = new byte[rows.Length];
        foreach (var mask in countedMasks)
        {
            for (var w = 0; w < mask.Length; w++)
            {
                for (var bits = mask[w] & candidates[w]; bits != 0; bits &= bits - 1)
                {
                    met[(w << 6) + BitOperations.TrailingZeroCount(bits)]++;
                }
            }
        }
        var byMet = new long[counted.Count + 1];
        foreach (var count in met)
        {
            byMet[count]++;
        }
        var page = new List<LikenessSearchRow>(Math.Min(limit, 100));
        long skip = offset;
        for (var wanted = counted.Count - 1; wanted >= 1 && page.Count < limit; wanted--)
        {
            if (skip >= byMet[wanted])
            {
                skip -= byMet[wanted];
                continue;
            }
            for (var position = 0; position < met.Length && page.Count < limit; position++)
            {
                if (met[position] != wanted)
                {
                    continue;
                }
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                page.Add(rows[position]);
            }
            skip = 0;
        }
        return new LikenessSearchPage(page, byMet[1..^1].Sum());
    }

    private ulong[] Mask(SearchAttribute attribute, SearchFilters filters)
    {
        var mask = new ulong[everyRow.Length];
        switch (attribute)
        {
            case DiscreteAttribute discrete:
                var values = valueBits[DiscreteIndex[discrete]];
                foreach (var ordinal in discrete.FilteredOrdinals(filters)!)
                {
                    var bits = values[ordinal];
                    for (var w = 0; w < mask.Length; w++)
                    {
                        mask[w] |= bits[w];
                    }
                }
                break;
            case RangeAttribute range:
                var (low, high) = range.FilteredRange(filters);
                if ((low is { } l && double.IsNaN(l)) || (high is { } h && double.IsNaN(h)))
                {
                    throw new ArgumentOutOfRangeException(nameof(filters), $"The {range.Column} range needs numbers, not NaN.");
                }
                if (low > high)
                {
                    throw new ArgumentOutOfRangeException(nameof(filters), $"The {range.Column} range is empty: minimum {low} is above maximum {high}.");
                }
                var column = rangeValues[RangeIndex[range]];
                var (from, to) = (low ?? double.NegativeInfinity, high ?? double.PositiveInfinity);
                for (var position = 0; position < column.Length; position++)
                {
                    // NaN (unknown) fails both comparisons, so it never matches a given range.
                    if (column[position] >= from && column[position] <= to)
                    {
                        mask[position >> 6] |= 1UL << (position & 63);
                    }
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attribute), attribute.Name, "An attribute of unknown kind.");
        }
        return mask;
    }

    private ulong[] And(List<(SearchAttribute Attribute, ulong[] Mask)> masks, SearchAttribute? except)
    {
        var result = (ulong[])everyRow.Clone();
        foreach (var (attribute, mask) in masks)
        {
            if (attribute != except)
            {
                for (var w = 0; w < result.Length; w++)
                {
                    result[w] &= mask[w];
                }
            }
        }
        return result;
    }

    private static long PopCount(ulong[] bits)
    {
        long count = 0;
        foreach (var word in bits)
        {
            count += BitOperations.PopCount(word);
        }
        return count;
    }

    private static long CountBoth(ulong[] a, ulong[] b)
    {
        long count = 0;
        for (var w = 0; w < a.Length; w++)
        {
            count += BitOperations.PopCount(a[w] & b[w]);
        }
        return count;
    }

    private List<LikenessSearchRow> Page(ulong[] matches, int limit, int offset)
    {
        var page = new List<LikenessSearchRow>(Math.Min(limit, 100));
        var skip = offset;
        for (var w = 0; w < matches.Length && page.Count < limit; w++)
        {
            var word = matches[w];
            var inWord = BitOperations.PopCount(word);
            if (skip >= inWord)
            {
                skip -= inWord;
                continue;
            }
            while (word != 0 && page.Count < limit)
            {
                var position = (w << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
                if (skip > 0)
                {
                    skip--;
                    continue;
                }
                page.Add(rows[position]);
            }
        }
        return page;
    }

    /// <summary>
    /// <c>ORDER BY number_of_followers DESC NULLS LAST, account_id COLLATE "C"</c>: byte order of
    /// UTF-8 is code point order, which UTF-16's ordinal order differs from only for surrogates.
    /// </summary>
    private static int ResultOrder(LikenessSearchRow a, LikenessSearchRow b)
    {
        var (x, y) = (a.Attributes.NumberOfFollowers, b.Attributes.NumberOfFollowers);
        if (x != y)
        {
            return x is null ? 1 : y is null ? -1 : y.Value.CompareTo(x.Value);
        }
        var (s, t) = (a.AccountId, b.AccountId);
        var length = Math.Min(s.Length, t.Length);
        for (var i = 0; i < length; i++)
        {
            if (s[i] != t[i])
            {
                return CodePointRank(s[i]).CompareTo(CodePointRank(t[i]));
            }
        }
        return s.Length.CompareTo(t.Length);
    }

    // Surrogates (U+D800-DFFF) stand for code points above U+FFFF, so they rank after U+E000-FFFF.
    private static int CodePointRank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
