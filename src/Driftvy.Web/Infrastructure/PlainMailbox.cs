using MimeKit;

namespace Driftvy.Web.Infrastructure;

/// <summary>
/// The one rule for an e-mail address Driftvy sends from or to (alert channels, the morning digest): one plain
/// address, local@domain, never a list or a display name smuggled into a header.
/// </summary>
internal static class PlainMailbox
{
    public static bool TryParse(string? text, out MailboxAddress mailbox)
    {
        mailbox = null!;
        if (string.IsNullOrEmpty(text) || text.Contains(',', StringComparison.Ordinal)
            || !MailboxAddress.TryParse(text, out var parsed) || string.IsNullOrEmpty(parsed.Domain) || string.IsNullOrEmpty(parsed.LocalPart))
        {
            return false;
        }

        mailbox = parsed;
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _);
}
