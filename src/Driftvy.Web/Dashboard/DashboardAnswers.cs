namespace Driftvy.Web.Dashboard;

/// <summary>Answer of <c>GET /api/boards</c>: the boards the caller may see, and the board files that were rejected.</summary>
/// <param name="Boards">The boards, in catalogue order.</param>
/// <param name="Rejected">Board files that could not be read, with the field at fault.</param>
public sealed record BoardList(IEnumerable<BoardSummary> Boards, IEnumerable<RejectedBoardFile> Rejected);

/// <summary>One board in <see cref="BoardList"/>.</summary>
/// <param name="Id">Board id.</param>
/// <param name="Title">Board title.</param>
/// <param name="Default">Whether it is the default board (<c>/</c>).</param>
/// <param name="Pages">Number of pages.</param>
/// <param name="Tiles">Number of tiles over all pages.</param>
/// <param name="File">The board file it came from.</param>
public sealed record BoardSummary(string Id, string Title, bool Default, int Pages, int Tiles, string File);

/// <summary>A board file that was rejected.</summary>
/// <param name="File">The file.</param>
/// <param name="Field">The field at fault.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record RejectedBoardFile(string File, string Field, string Message);

/// <summary>Answer of <c>GET /api/config</c>: what a screen needs before it knows its board.</summary>
/// <param name="DefaultBoard">The board shown at <c>/</c>.</param>
/// <param name="SignInRequired">Whether a visitor without a display link must sign in (anonymous reading is off).</param>
public sealed record ScreenConfig(string DefaultBoard, bool SignInRequired);

/// <summary>Answer of <c>GET /api/display/{token}</c>: the board a display token opens.</summary>
/// <param name="BoardId">The board.</param>
public sealed record DisplayTokenBoard(string BoardId);

/// <summary>One display token in <c>GET /api/admin/display-tokens</c>.</summary>
/// <param name="Id">Token id.</param>
/// <param name="BoardId">The board it opens.</param>
/// <param name="Label">Where the screen hangs.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="LastUsedAt">When a screen last used it.</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="Revoked">Whether it is revoked.</param>
/// <param name="LiveScreens">Screens connected with it to this instance now.</param>
public sealed record DisplayTokenListItem(
    long Id, string BoardId, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Revoked, int LiveScreens);
