using System.Numerics;
using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>Access functions for <c>likeness_search</c>, one row of attributes per indexed account.</summary>
public sealed class LikenessSearchAccess(NpgsqlDataSource dataSource)
{
    public const int MaxPageSize = 1000;

    // Every attribute column once: how it is written, read back and filtered. All SQL below is
    // assembled from these fixed names; values only ever travel as parameters.
    private static readonly AttributeColumn[] AttributeColumns =
    [
        EnumColumn("category", a => a.Category, (a, v) => a with { Category = v }, f => f.Categories),
        EnumColumn("gender", a => a.Gender, (a, v) => a with { Gender = v }, f => f.Genders),
        EnumColumn("country", a => a.Country, (a, v) => a with { Country = v }, f => f.Countries),
        EnumColumn("target_audience", a => a.TargetAudience, (a, v) => a with { TargetAudience = v }, f => f.TargetAudiences),
        RangeColumn("number_of_followers", a => a.NumberOfFollowers, (a, v) => a with { NumberOfFollowers = v }, f => f.MinFollowers, f => f.MaxFollowers),
        EnumColumn("primary_platform", a => a.PrimaryPlatform, (a, v) => a with { PrimaryPlatform = v }, f => f.PrimaryPlatforms),
        FlagColumn("is_verified", a => a.IsVerified, (a, v) => a with { IsVerified = v }, f => f.IsVerified),
        EnumColumn("content_niche", a => a.ContentNiche, (a, v) => a with { ContentNiche = v }, f => f.ContentNiches),
        RangeColumn("engagement_rate", a => a.EngagementRate, (a, v) => a with { EngagementRate = v }, f => f.MinEngagementRate, f => f.MaxEngagementRate),
        RangeColumn("birth_year", a => a.BirthYear, (a, v) => a with { BirthYear = v }, f => f.MinBirthYear, f => f.MaxBirthYear),
        RangeColumn("height", a => a.Height, (a, v) => a with { Height = v }, f => f.MinHeight, f => f.MaxHeight),
        RangeColumn("weight", a => a.Weight, (a, v) => a with { Weight = v }, f => f.MinWeight, f => f.MaxWeight),
        EnumColumn("body_type", a => a.BodyType, (a, v) => a with { BodyType = v }, f => f.BodyTypes),
        EnumColumn("hair_color", a => a.HairColor, (a, v) => a with { HairColor = v }, f => f.HairColors),
        EnumColumn("hair_length", a => a.HairLength, (a, v) => a with { HairLength = v }, f => f.HairLengths),
        EnumColumn("hair_type", a => a.HairType, (a, v) => a with { HairType = v }, f => f.HairTypes),
        EnumColumn("eye_color", a => a.EyeColor, (a, v) => a with { EyeColor = v }, f => f.EyeColors),
        EnumColumn("skin_color", a => a.SkinColor, (a, v) => a with { SkinColor = v }, f => f.SkinColors),
        EnumColumn("ethnicity", a => a.Ethnicity, (a, v) => a with { Ethnicity = v }, f => f.Ethnicities),
        EnumColumn("face_shape", a => a.FaceShape, (a, v) => a with { FaceShape = v }, f => f.FaceShapes),
        EnumColumn("facial_hair", a => a.FacialHair, (a, v) => a with { FacialHair = v }, f => f.FacialHairStyles),
        FlagColumn("wear_glasses", a => a.WearGlasses, (a, v) => a with { WearGlasses = v }, f => f.WearGlasses),
        FlagColumn("has_tattoos", a => a.HasTattoos, (a, v) => a with { HasTattoos = v }, f => f.HasTattoos),
        FlagColumn("has_piercings", a => a.HasPiercings, (a, v) => a with { HasPiercings = v }, f => f.HasPiercings),
        EnumColumn("voice_pitch", a => a.VoicePitch, (a, v) => a with { VoicePitch = v }, f => f.VoicePitches),
        EnumColumn("voice_tone", a => a.VoiceTone, (a, v) => a with { VoiceTone = v }, f => f.VoiceTones),
        EnumColumn("accent", a => a.Accent, (a, v) => a with { Accent = v }, f => f.Accents),
        EnumColumn("primary_language", a => a.PrimaryLanguage, (a, v) => a with { PrimaryLanguage = v }, f => f.PrimaryLanguages),
    ];

    private static readonly string Columns =
        $"id, account_id, {string.Join(", ", AttributeColumns.Select(c => c.SelectExpression))}, created_at, updated_at";

    private static readonly string UpsertSql = $"""
        INSERT INTO likeness_search (id, account_id, {string.Join(", ", AttributeColumns.Select(c => c.Name))})
        VALUES ($1, $2, {string.Join(", ", AttributeColumns.Select((c, i) => $"${i + 3}{c.Cast}"))})
        ON CONFLICT (account_id) DO UPDATE SET
            {string.Join(", ", AttributeColumns.Select(c => $"{c.Name} = EXCLUDED.{c.Name}"))},
            updated_at = now()
        RETURNING {Columns}
        """;

    // Most followed first; account_id in byte order breaks ties the same way on every server.
    private const string PageOrder = "ORDER BY number_of_followers DESC NULLS LAST, account_id COLLATE \"C\"";

    private const string DeleteSql = "DELETE FROM likeness_search WHERE account_id = $1";

    /// <summary>
    /// Creates the account's row or replaces every attribute of the existing one (an attribute
    /// that is null in <paramref name="data"/> becomes unknown); the row keeps its id.
    /// </summary>
    public async Task<LikenessSearchRow> UpsertSearchIndexAsync(string accountId, SearchAttributes data, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command(UpsertSql, UpsertParameters(accountId, data));
        return (await command.ReadFirstOrDefaultAsync(Map, cancellationToken))!;
    }

    /// <summary><see cref="UpsertSearchIndexAsync"/> as a statement for a caller's batch.</summary>
    internal static NpgsqlBatchCommand UpsertSearchIndexCommand(string accountId, SearchAttributes data) =>
        Db.BatchCommand(UpsertSql, UpsertParameters(accountId, data));

    public async Task<LikenessSearchRow?> GetSearchIndexByAccountIdAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command($"SELECT {Columns} FROM likeness_search WHERE account_id = $1", accountId);
        return await command.ReadFirstOrDefaultAsync(Map, cancellationToken);
    }

    /// <returns>False when the account had no row.</returns>
    public async Task<bool> DeleteSearchIndexAsync(string accountId, CancellationToken cancellationToken = default)
    {
        Guard.Id(accountId, nameof(accountId));
        await using var command = dataSource.Command(DeleteSql, accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary><see cref="DeleteSearchIndexAsync"/> as a statement for a caller's batch.</summary>
    internal static NpgsqlBatchCommand DeleteSearchIndexCommand(string accountId)
    {
        Guard.Id(accountId, nameof(accountId));
        return Db.BatchCommand(DeleteSql, accountId);
    }

    /// <summary>
    /// The rows matching <paramref name="filters"/> (see <see cref="SearchFilters"/>), most
    /// followed first, with the number of all matching rows.
    /// </summary>
    /// <param name="limit">Page size, 1 to <see cref="MaxPageSize"/>.</param>
    /// <param name="offset">Rows to skip; beyond the last match the page is empty but the total is still counted.</param>
    public async Task<LikenessSearchPage> SearchByFiltersAsync(SearchFilters filters, int limit, int offset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);

        var where = new WhereClause();
        foreach (var column in AttributeColumns)
        {
            column.Filter(filters, where);
        }
        var values = where.Parameters;

        // Counting separately (not count(*) OVER ()) still yields the total when the page is empty.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Db.BatchCommand($"SELECT count(*) FROM likeness_search {where.Sql}", [.. values]));
        batch.BatchCommands.Add(Db.BatchCommand(
            $"SELECT {Columns} FROM likeness_search {where.Sql} {PageOrder} LIMIT ${values.Count + 1} OFFSET ${values.Count + 2}",
            [.. values, limit, offset]));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var rows = new List<LikenessSearchRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Map(reader));
        }
        return new LikenessSearchPage(rows, total);
    }

    private static object?[] UpsertParameters(string accountId, SearchAttributes data)
    {
        Guard.Id(accountId, nameof(accountId));
        ArgumentNullException.ThrowIfNull(data);
        return [NanoId.New(), accountId, .. AttributeColumns.Select(c => c.Write(data))];
    }

    private static LikenessSearchRow Map(NpgsqlDataReader r)
    {
        var attributes = new SearchAttributes();
        for (var i = 0; i < AttributeColumns.Length; i++)
        {
            attributes = AttributeColumns[i].Read(attributes, r, i + 2);
        }
        var next = AttributeColumns.Length + 2;
        return new LikenessSearchRow(
            r.GetString(0), r.GetString(1), attributes, r.GetFieldValue<DateTimeOffset>(next), r.GetFieldValue<DateTimeOffset>(next + 1));
    }

    private static AttributeColumn EnumColumn<T>(
        string name,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set,
        Func<SearchFilters, IReadOnlyList<T>?> anyOf)
        where T : struct, Enum => new(
            name,
            "::" + DbEnum<T>.TypeName,
            a => DbEnum<T>.ToLabel(get(a), "data"),
            (a, r, i) => set(a, r.GetNullableEnum<T>(i)),
            (f, where) =>
            {
                if (anyOf(f) is { Count: > 0 } values)
                {
                    where.AnyOf(name, DbEnum<T>.TypeName, [.. values.Select(v => DbEnum<T>.ToLabel(v, "filters"))]);
                }
            });

    private static AttributeColumn FlagColumn(
        string name,
        Func<SearchAttributes, bool?> get,
        Func<SearchAttributes, bool?, SearchAttributes> set,
        Func<SearchFilters, bool?> equals) => new(
            name,
            "",
            a => get(a),
            (a, r, i) => set(a, r.GetNullable<bool>(i)),
            (f, where) =>
            {
                if (equals(f) is { } value)
                {
                    where.Compare(name, "=", value);
                }
            });

    private static AttributeColumn RangeColumn<T>(
        string name,
        Func<SearchAttributes, T?> get,
        Func<SearchAttributes, T?, SearchAttributes> set,
        Func<SearchFilters, T?> min,
        Func<SearchFilters, T?> max)
        where T : struct, INumber<T> => new(
            name,
            "",
            a => get(a),
            (a, r, i) => set(a, r.GetNullable<T>(i)),
            (f, where) =>
            {
                var (low, high) = (min(f), max(f));
                if ((low is { } l && T.IsNaN(l)) || (high is { } h && T.IsNaN(h)))
                {
                    throw new ArgumentOutOfRangeException("filters", $"The {name} range needs numbers, not NaN.");
                }
                if (low > high)
                {
                    throw new ArgumentOutOfRangeException("filters", $"The {name} range is empty: minimum {low} is above maximum {high}.");
                }
                if (low is { } from)
                {
                    where.Compare(name, ">=", from);
                }
                if (high is { } to)
                {
                    where.Compare(name, "<=", to);
                }
            });

    /// <param name="Cast">Appended to the value's parameter; enums travel as text labels.</param>
    private sealed record AttributeColumn(
        string Name,
        string Cast,
        Func<SearchAttributes, object?> Write,
        Func<SearchAttributes, NpgsqlDataReader, int, SearchAttributes> Read,
        Action<SearchFilters, WhereClause> Filter)
    {
        public string SelectExpression => Cast.Length == 0 ? Name : Name + "::text";
    }

    /// <summary>Conditions joined with AND, each comparing a fixed column with the next positional parameter.</summary>
    private sealed class WhereClause
    {
        private readonly List<string> conditions = [];

        public List<object?> Parameters { get; } = [];

        public string Sql => conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);

        public void Compare(string column, string op, object value)
        {
            Parameters.Add(value);
            conditions.Add($"{column} {op} ${Parameters.Count}");
        }

        public void AnyOf(string column, string enumType, string[] labels)
        {
            Parameters.Add(labels);
            conditions.Add($"{column} = ANY(${Parameters.Count}::{enumType}[])");
        }
    }
}
