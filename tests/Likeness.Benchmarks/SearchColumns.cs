using Likeness.Shared.Data;
using NpgsqlTypes;

namespace Likeness.Benchmarks;

/// <summary>The attribute columns of <c>likeness_search</c> as binary COPY writes them (enums as their labels).</summary>
internal static class SearchColumns
{
    public static IReadOnlyList<SearchColumn> All { get; } =
        [.. SearchAttributeCatalog.All.Select(a => new SearchColumn(a.Column, a.DbValueOf, TypeOf(a)))];

    private static NpgsqlDbType TypeOf(SearchAttribute attribute) => attribute.ValueType switch
    {
        { IsEnum: true } => NpgsqlDbType.Text,
        var type when type == typeof(bool) => NpgsqlDbType.Boolean,
        var type when type == typeof(long) => NpgsqlDbType.Bigint,
        var type when type == typeof(int) => NpgsqlDbType.Integer,
        _ => NpgsqlDbType.Double,
    };
}

/// <param name="Value">The column's value for an account, null when unknown.</param>
internal sealed record SearchColumn(string Name, Func<SearchAttributes, object?> Value, NpgsqlDbType Type);
