using Driftvy.Domain.Contacts;

namespace Driftvy.Web.Sources.Ingestion.Formats;

/// <summary><c>contact_id, channel, queue, offered_at, answered_at, abandoned_at, ended_at, resolved_first_contact[, caller]</c>.</summary>
internal sealed class ContactFormat : IRecordFormat<ContactRecord>
{
    public static readonly ContactFormat Instance = new();

    public IngestKind Kind => IngestKind.Contacts;

    public IReadOnlyList<ColumnSpec> Columns { get; } =
    [
        new("contact_id", TextOnly: true), new("channel"), new("queue"), new("offered_at"), new("answered_at"),
        new("abandoned_at"), new("ended_at"), new("resolved_first_contact"), new("caller", Optional: true),
    ];

    public ContactRecord? Map(RowReader row)
    {
        var id = row.Text(0, required: true);
        var channel = ParseChannel(row);
        var queue = row.Queue(2);
        var offered = row.Timestamp(3, required: true);
        var answered = row.Timestamp(4, required: false);
        var abandoned = row.Timestamp(5, required: false);
        var ended = row.Timestamp(6, required: false);
        var fcr = row.Bool(7);
        var caller = row.Text(8, required: false, maxLength: 32);
        if (offered is { } o)
        {
            if (answered < o)
            {
                row.Error(4, $"answered before it was offered ({row.Raw(4)} < {row.Raw(3)})");
            }

            if (abandoned < o)
            {
                row.Error(5, $"abandoned before it was offered ({row.Raw(5)} < {row.Raw(3)})");
            }

            if (ended < (answered ?? o))
            {
                row.Error(6, $"ended before it was {(answered is null ? "offered" : "answered")}");
            }
        }

        if (answered is not null && abandoned is not null)
        {
            row.Error(5, "a contact is either answered or abandoned, not both");
        }

        if (row.HasErrors)
        {
            return null;
        }

        return new ContactRecord(id!, channel!.Value, queue!, offered!.Value, answered, abandoned, ended, fcr) { CallerNumber = caller };
    }

    private static Channel? ParseChannel(RowReader row)
    {
        switch (row.Raw(1)?.ToLowerInvariant())
        {
            case "phone":
                return Channel.Phone;
            case "email":
                return Channel.Email;
            case "chat":
                return Channel.Chat;
            case null:
                row.Error(1, "a value is required (phone, email or chat)");
                return null;
            default:
                row.Error(1, $"'{row.Raw(1)}' is not a channel (phone, email or chat)");
                return null;
        }
    }
}
