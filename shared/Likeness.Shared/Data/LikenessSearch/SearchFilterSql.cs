namespace Likeness.Shared.Data;

/// <summary>
/// The SQL conditions of <see cref="SearchFilters"/> over <c>likeness_search</c>, one per filtered
/// attribute of <see cref="SearchAttributeCatalog"/>, joined with AND. The exact search, the
/// partial search and the vector search's strict filters build their SQL here, so they never
/// disagree on what a filter means.
/// </summary>
/// <remarks>
/// The SQL is assembled from the catalogue's fixed column names only; every value travels as a
/// positional parameter. Enums travel as their text labels, cast to the column's type.
/// </remarks>
internal sealed class SearchFilterSql
{
    // One per attribute: a range's two bounds are one condition, so that counting them counts attributes.
    private readonly List<string> conditions = [];
    private readonly int parameterOffset;
    private readonly string columnPrefix;

    /// <param name="parameterOffset">Parameters the surrounding statement already uses: the first condition's value is <c>$(offset + 1)</c>.</param>
    /// <param name="tableAlias">The alias <c>likeness_search</c> has in the statement, or null for bare column names.</param>
    public SearchFilterSql(int parameterOffset = 0, string? tableAlias = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterOffset);
        this.parameterOffset = parameterOffset;
        columnPrefix = tableAlias is null ? "" : tableAlias + ".";
    }

    /// <summary>The conditions of every filtered attribute of <paramref name="filters"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A range with NaN or its minimum above its maximum.</exception>
    public static SearchFilterSql For(SearchFilters filters, int parameterOffset = 0, string? tableAlias = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var sql = new SearchFilterSql(parameterOffset, tableAlias);
        foreach (var attribute in SearchAttributeCatalog.All)
        {
            sql.Add(attribute, filters);
        }
        return sql;
    }

    /// <summary>The values of the conditions' parameters, in order.</summary>
    public List<object?> Parameters { get; } = [];

    public bool IsEmpty => conditions.Count == 0;

    /// <summary>A whole <c>WHERE</c> clause, or the empty string when nothing is filtered.</summary>
    public string Sql => IsEmpty ? "" : "WHERE " + Conditions;

    /// <summary>The conditions joined with AND, for a WHERE that has others; <c>true</c> when nothing is filtered.</summary>
    public string Conditions => IsEmpty ? "true" : string.Join(" AND ", conditions);

    /// <summary>How many of the attributes' conditions a row meets, as an SQL integer; unknown (NULL) values meet none.</summary>
    public string MetCount => IsEmpty ? "0" : string.Join(" + ", conditions.Select(c => $"(CASE WHEN {c} THEN 1 ELSE 0 END)"));

    /// <exception cref="ArgumentOutOfRangeException">A range with NaN or its minimum above its maximum.</exception>
    public void Add(SearchAttribute attribute, SearchFilters filters)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(filters);
        var column = columnPrefix + attribute.Column;
        var own = new List<string>();
        switch (attribute)
        {
            case DiscreteAttribute discrete when discrete.FilteredOrdinals(filters) is { } ordinals:
                var labels = ordinals.Select(o => discrete.Labels[o]).ToArray();
                if (discrete.DbTypeName is { } type)
                {
                    own.Add(Condition($"{column} = ANY(${{0}}::{type}[])", labels));
                }
                else
                {
                    own.Add(Condition($"{column} = ${{0}}", bool.Parse(labels[0])));
                }
                break;
            case RangeAttribute range when range.FilteredRange(filters) is var (low, high) && (low, high) is not (null, null):
                if ((low is { } l && double.IsNaN(l)) || (high is { } h && double.IsNaN(h)))
                {
                    throw new ArgumentOutOfRangeException(nameof(filters), $"The {range.Column} range needs numbers, not NaN.");
                }
                if (low > high)
                {
                    throw new ArgumentOutOfRangeException(nameof(filters), $"The {range.Column} range is empty: minimum {low} is above maximum {high}.");
                }
                var bounds = range.DbRangeOf(filters);
                if (low is not null)
                {
                    own.Add(Condition($"{column} >= ${{0}}", bounds.Min));
                }
                if (high is not null)
                {
                    own.Add(Condition($"{column} <= ${{0}}", bounds.Max));
                }
                break;
        }
        if (own.Count > 0)
        {
            conditions.Add(own.Count == 1 ? own[0] : $"({string.Join(" AND ", own)})");
        }
    }

    /// <param name="template">SQL with <c>${0}</c> where the value's positional parameter goes.</param>
    private string Condition(string template, object? value)
    {
        Parameters.Add(value);
        return template.Replace("${0}", "$" + (parameterOffset + Parameters.Count));
    }
}
