using Likeness.Shared.Data;
using Npgsql;
using Pgvector;

namespace Likeness.Shared.Indexing;

/// <summary>What one indexing run decided for an account.</summary>
/// <param name="Attributes">The account's search row, or null to remove the account from search.</param>
/// <param name="Content">The canonical tag text; with <paramref name="Embedding"/> null the stored vector is kept.</param>
/// <param name="Embedding">A new embedding of <paramref name="Content"/>, or null when it did not change.</param>
/// <param name="Result">Why, for the event's info.</param>
public sealed record IndexUpdate(SearchAttributes? Attributes, string? Content, Vector? Embedding, string Result);

/// <summary>
/// Writes an indexing run's result and completes its event in one transaction, only while the
/// event is still IN_PROGRESS: a run that outlived its timeout (and whose account may already be
/// re-indexed by a newer run) writes nothing. The row lock also keeps the sweep away meanwhile.
/// </summary>
public sealed class IndexCommitter(NpgsqlDataSource dataSource, LikenessSearchVectorAccess vectors)
{
    public async Task<bool> CommitAsync(QueueEvent queueEvent, IndexUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queueEvent);
        ArgumentNullException.ThrowIfNull(update);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var claim = new NpgsqlCommand(
            "SELECT 1 FROM likeness_need_indexing_queue WHERE id = $1 AND status = 'IN_PROGRESS' FOR UPDATE", connection, transaction))
        {
            claim.Parameters.Add(new() { Value = queueEvent.Id });
            if (await claim.ExecuteScalarAsync(cancellationToken) is null)
            {
                return false;
            }
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in Commands(queueEvent, update))
        {
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private IEnumerable<NpgsqlBatchCommand> Commands(QueueEvent queueEvent, IndexUpdate update)
    {
        var accountId = queueEvent.AccountId;
        if (update.Attributes is null)
        {
            yield return LikenessSearchAccess.DeleteSearchIndexCommand(accountId);
        }
        else
        {
            yield return LikenessSearchAccess.UpsertSearchIndexCommand(accountId, update.Attributes);
        }
        if (update.Content is null)
        {
            yield return LikenessSearchVectorAccess.DeleteFromVectorIndexCommand(accountId);
        }
        else if (update.Embedding is not null)
        {
            yield return vectors.VectorUpsertCommand(accountId, update.Content, update.Embedding);
        }
        yield return LikenessNeedIndexingQueueAccess.MarkEventCompletedCommand(queueEvent.Id, update.Result);
    }
}
