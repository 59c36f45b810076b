namespace Likeness.Shared.Data;

public sealed record IpTerm(
    string Id,
    string AccountId,
    IpTermType Type,
    IpTermStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
