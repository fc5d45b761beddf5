using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Driftvy.Domain.Kpis;

namespace Driftvy.Web.Dashboard.Boards;

/// <summary>Dashboard settings. Section <c>Dashboards</c>.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboards";

    /// <summary>Folder of board files (<c>*.json</c>); relative paths resolve against the content root, then the app folder.</summary>
    public string Directory { get; set; } = "dashboards";

    /// <summary>The board shown at <c>/</c>.</summary>
    public string DefaultBoard { get; set; } = "kontaktcenter";

    /// <summary>Reload boards when a file in the folder changes (no restart needed).</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>Back-office figures (cases, volumes, staffing) arrive by nightly import: a team tile is stale when they are older than this.</summary>
    public TimeSpan BackOfficeStaleAfter { get; set; } = TimeSpan.FromHours(30);

    internal static bool IsValid(DashboardOptions o) =>
        !string.IsNullOrWhiteSpace(o.Directory) && !string.IsNullOrWhiteSpace(o.DefaultBoard) && o.BackOfficeStaleAfter > TimeSpan.Zero;
}

/// <summary>A board file that cannot be used, with the file and field at fault.</summary>
public sealed class BoardFileException(string file, string field, string message)
    : Exception($"{file}: {field}: {message}")
{
    public string File { get; } = file;

    public string Field { get; } = field;
}

/// <summary>
/// The boards loaded from the dashboards folder. At start-up a bad file stops the host with its name and
/// field; on a reload a bad file is rejected and the board it defined before is kept.
/// </summary>
public sealed class BoardCatalog
{
    private const int DefaultRotationSeconds = 30;
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly string? _directory;
    private readonly KpiCatalog? _kpis;
    private readonly Lock _reloadLock = new();

    // Swapped whole on reload, so readers never see a half-updated set. _boards is the files' boards with
    // the administrative overrides (stored in the database) laid over them by id.
    private volatile IReadOnlyDictionary<string, BoardDefinition> _boards;
    private volatile IReadOnlyDictionary<string, BoardDefinition> _fileBoards;
    private volatile IReadOnlyDictionary<string, BoardDefinition> _overrides = new Dictionary<string, BoardDefinition>(StringComparer.Ordinal);
    private volatile IReadOnlyList<BoardFileException> _rejected = [];

    public BoardCatalog(IEnumerable<BoardDefinition> boards, string defaultBoard)
        : this(boards, defaultBoard, null, null)
    {
    }

    private BoardCatalog(IEnumerable<BoardDefinition> boards, string defaultBoard, string? directory, KpiCatalog? kpis)
    {
        _boards = _fileBoards = boards.ToDictionary(b => b.Id, StringComparer.Ordinal);
        DefaultBoard = defaultBoard;
        _directory = directory;
        _kpis = kpis;
    }

    public string DefaultBoard { get; }

    /// <summary>The folder the boards were loaded from; null for a catalogue built in memory.</summary>
    public string? Directory => _directory;

    public IReadOnlyCollection<BoardDefinition> All => [.. _boards.Values.OrderBy(b => b.Id, StringComparer.Ordinal)];

    /// <summary>Files rejected by the last reload (their previous boards are still in use).</summary>
    public IReadOnlyList<BoardFileException> Rejected => _rejected;

    /// <summary>Raised after a reload changed the boards.</summary>
    public event EventHandler? Changed;

    public BoardDefinition? Find(string id) => _boards.GetValueOrDefault(id);

    /// <summary>The board as its file defines it, ignoring any administrative override.</summary>
    public BoardDefinition? FindInFiles(string id) => _fileBoards.GetValueOrDefault(id);

    /// <summary>Ids of the boards an administrator has changed or added (they win over the files).</summary>
    public IReadOnlyCollection<string> Overridden => [.. _overrides.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Puts the administrative boards in force: each replaces the file board with its id or adds a new one.
    /// </summary>
    public void SetOverrides(IEnumerable<BoardDefinition> boards)
    {
        ArgumentNullException.ThrowIfNull(boards);
        lock (_reloadLock)
        {
            _overrides = boards.ToDictionary(b => b.Id, StringComparer.Ordinal);
            _boards = Merge(_fileBoards, _overrides);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>
    /// Reads a board from JSON text (an administrator's edit). Errors name <paramref name="name"/> and the field.
    /// </summary>
    public BoardDefinition ParseText(string json, string name) => ParseJson(json, name, _kpis);

    private static Dictionary<string, BoardDefinition> Merge(IReadOnlyDictionary<string, BoardDefinition> files, IReadOnlyDictionary<string, BoardDefinition> overrides)
    {
        var merged = new Dictionary<string, BoardDefinition>(files, StringComparer.Ordinal);
        foreach (var (id, board) in overrides)
        {
            merged[id] = board;
        }

        return merged;
    }

    /// <summary>
    /// Loads every <c>*.json</c> in <paramref name="directory"/>; a bad file stops with its name and field.
    /// With <paramref name="kpis"/>, each tile's KPI must exist and cover the tile's queue or team.
    /// </summary>
    public static BoardCatalog Load(string directory, string defaultBoard, KpiCatalog? kpis = null)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new BoardFileException(directory, "Dashboards:Directory", "folder not found");
        }

        var boards = Files(directory).Select(f => Parse(f, kpis)).ToList();
        CheckSet(directory, boards, defaultBoard);
        return new BoardCatalog(boards, defaultBoard, directory, kpis);
    }

    /// <summary>
    /// Reads the folder again. A file that fails is rejected (and listed in <see cref="Rejected"/>) and the
    /// board it defined before is kept; a deleted file's board goes away (unless it is the default board).
    /// Returns the rejected files.
    /// </summary>
    public IReadOnlyList<BoardFileException> Reload()
    {
        if (_directory is null)
        {
            return [];
        }

        lock (_reloadLock)
        {
            var previousByFile = _fileBoards.Values.ToDictionary(b => b.File, StringComparer.Ordinal);
            var next = new List<BoardDefinition>();
            var rejected = new List<BoardFileException>();
            foreach (var file in Files(_directory))
            {
                try
                {
                    next.Add(Parse(file, _kpis));
                }
                catch (BoardFileException ex)
                {
                    rejected.Add(ex);
                    if (previousByFile.TryGetValue(Path.GetFileName(file), out var old))
                    {
                        next.Add(old);
                    }
                }
                catch (IOException ex)
                {
                    // A file caught half-written by an editor: keep the old board, the next change event retries.
                    rejected.Add(new BoardFileException(Path.GetFileName(file), "$", ex.Message));
                    if (previousByFile.TryGetValue(Path.GetFileName(file), out var old))
                    {
                        next.Add(old);
                    }
                }
            }

            // Duplicate ids across files: the board already in use keeps its id.
            var unique = new List<BoardDefinition>();
            foreach (var group in next.GroupBy(b => b.Id, StringComparer.Ordinal))
            {
                var keep = group.Count() == 1 ? group.First() : group.FirstOrDefault(b => _fileBoards.TryGetValue(b.Id, out var cur) && cur.File == b.File) ?? group.First();
                unique.Add(keep);
                rejected.AddRange(group.Where(b => b != keep).Select(b => new BoardFileException(b.File, "id", $"board id '{b.Id}' is already defined in {keep.File}")));
            }

            if (unique.All(b => b.Id != DefaultBoard) && _fileBoards.TryGetValue(DefaultBoard, out var defaultBoard))
            {
                unique.Add(defaultBoard);
            }

            _fileBoards = unique.ToDictionary(b => b.Id, StringComparer.Ordinal);
            _boards = Merge(_fileBoards, _overrides);
            _rejected = rejected;
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return _rejected;
    }

    private static IEnumerable<string> Files(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal);

    private static void CheckSet(string directory, List<BoardDefinition> boards, string defaultBoard)
    {
        var duplicate = boards.GroupBy(b => b.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new BoardFileException(directory, "id", $"board id '{duplicate.Key}' is defined twice ({string.Join(", ", duplicate.Select(b => b.File))})");
        }

        if (boards.All(b => b.Id != defaultBoard))
        {
            throw new BoardFileException(directory, "Dashboards:DefaultBoard", $"no board has id '{defaultBoard}'");
        }
    }

    internal static BoardDefinition Parse(string file, KpiCatalog? kpis = null) =>
        ParseJson(File.ReadAllText(file), Path.GetFileName(file), kpis);

    private static BoardDefinition ParseJson(string json, string name, KpiCatalog? kpis)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new BoardFileException(name, $"line {ex.LineNumber + 1}", ex.Message);
        }

        if (root is not JsonObject obj)
        {
            throw new BoardFileException(name, "$", "a board file must hold one JSON object");
        }

        var id = RequiredString(obj, "id", name, "id");
        if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new BoardFileException(name, "id", "may hold only letters a–z, digits, '-' and '_' (it is part of the address)");
        }

        var title = RequiredString(obj, "title", name, "title");
        var titleEn = OptionalString(obj, "title_en", name, "title_en") ?? title;
        var rotation = OptionalInt(obj, "rotation_seconds", name, "rotation_seconds", 5, 3600) ?? DefaultRotationSeconds;
        var columns = OptionalInt(obj, "columns", name, "columns", 1, 4);

        var pages = new List<BoardPage>();
        if (obj["pages"] is JsonNode pagesNode)
        {
            if (obj["tiles"] is not null)
            {
                throw new BoardFileException(name, "tiles", "give either 'tiles' (one page) or 'pages', not both");
            }

            if (pagesNode is not JsonArray pageArray || pageArray.Count == 0)
            {
                throw new BoardFileException(name, "pages", "at least one page is required");
            }

            for (var p = 0; p < pageArray.Count; p++)
            {
                var path = $"pages[{p}]";
                if (pageArray[p] is not JsonObject page)
                {
                    throw new BoardFileException(name, path, "must be an object");
                }

                pages.Add(ParsePage(page, p, path + ".", name, (title, titleEn), rotation, columns, kpis));
            }
        }
        else
        {
            pages.Add(ParsePage(obj, 0, string.Empty, name, (title, titleEn), rotation, columns, kpis));
        }

        return new BoardDefinition(id, title, titleEn, pages, name);
    }

    private static BoardPage ParsePage(JsonObject page, int pageIndex, string prefix, string file, (string Sv, string En) boardTitle, int defaultRotation, int? defaultColumns, KpiCatalog? kpis)
    {
        var title = OptionalString(page, "title", file, prefix + "title");
        // A page without an English title falls back to its Swedish one, or with neither, to the board's.
        var titleEn = OptionalString(page, "title_en", file, prefix + "title_en") ?? title ?? boardTitle.En;
        title ??= boardTitle.Sv;
        if (prefix.Length == 0)
        {
            // A one-page board: the page is the board, its title is the board title.
            (title, titleEn) = boardTitle;
        }

        var rotation = prefix.Length == 0 ? defaultRotation : OptionalInt(page, "rotation_seconds", file, prefix + "rotation_seconds", 5, 3600) ?? defaultRotation;
        if (page["tiles"] is not JsonArray tiles || tiles.Count == 0)
        {
            throw new BoardFileException(file, prefix + "tiles", "at least one tile is required");
        }

        if (tiles.Count > 12)
        {
            throw new BoardFileException(file, prefix + "tiles", "at most 12 tiles fit legibly on one page; add a page instead");
        }

        var columns = (prefix.Length == 0 ? defaultColumns : OptionalInt(page, "columns", file, prefix + "columns", 1, 4) ?? defaultColumns)
            ?? (tiles.Count <= 1 ? 1 : tiles.Count <= 4 ? 2 : 3);
        var list = new List<TileDefinition>();
        for (var i = 0; i < tiles.Count; i++)
        {
            var path = $"{prefix}tiles[{i}]";
            if (tiles[i] is not JsonObject t)
            {
                throw new BoardFileException(file, path, "must be an object");
            }

            list.Add(ParseTile(t, $"p{pageIndex}t{i}", path, file, columns, kpis));
        }

        return new BoardPage(title, titleEn, columns, rotation, list);
    }

    private static TileDefinition ParseTile(JsonObject t, string id, string path, string file, int columns, KpiCatalog? kpis)
    {
        var queue = OptionalString(t, "queue", file, path + ".queue");
        var team = OptionalString(t, "team", file, path + ".team");
        if ((queue is null) == (team is null))
        {
            throw new BoardFileException(file, path + ".queue", "give exactly one of 'queue' (contact-centre tile) or 'team' (back-office tile)");
        }

        var kind = OptionalString(t, "kind", file, path + ".kind") ?? (queue is null ? "team" : "queue");
        if (kind is not ("queue" or "team" or "staffing") || (kind == "team") != (team is not null))
        {
            throw new BoardFileException(file, path + ".kind", $"'{kind}' is not one of queue, staffing (with 'queue') or team (with 'team')");
        }

        var kpi = RequiredString(t, "kpi", file, path + ".kpi");
        var title = OptionalString(t, "title", file, path + ".title") ?? queue ?? team!;
        var titleEn = OptionalString(t, "title_en", file, path + ".title_en") ?? title;
        var windowText = OptionalString(t, "window", file, path + ".window") ?? "today";
        var window = windowText switch
        {
            "now" => TileWindow.Now,
            "last_60_min" => TileWindow.Last60Minutes,
            "today" => TileWindow.Today,
            "week" => TileWindow.Week,
            "month" => TileWindow.Month,
            "ytd" => TileWindow.YearToDate,
            _ => throw new BoardFileException(file, path + ".window", $"'{windowText}' is not one of now, last_60_min, today, week, month, ytd"),
        };
        var staffing = kind == "staffing";
        var chart = OptionalBool(t, "chart", file, path + ".chart") ?? (queue is not null && !staffing);
        if (chart && (queue is null || staffing))
        {
            throw new BoardFileException(file, path + ".chart", "only queue tiles have an intraday chart");
        }

        if (staffing && (window != TileWindow.Today || kpis?.Contains(kpi) == true && kpis.Get(kpi).Latest.Kind != FormulaKind.ServiceLevel))
        {
            throw new BoardFileException(file, path + (window != TileWindow.Today ? ".window" : ".kpi"),
                "a staffing tile is for today and needs a service-level KPI (its target is what the agents are counted for)");
        }

        var span = OptionalInt(t, "span", file, path + ".span", 1, 4) ?? 1;
        if (span > columns)
        {
            throw new BoardFileException(file, path + ".span", $"spans {span} columns but the page has {columns}");
        }

        if (kpis is not null)
        {
            CheckKpi(kpis, kpi, queue, team, file, path);
        }

        return new TileDefinition(id, queue, team, title, titleEn, kpi, window, chart, span, staffing);
    }

    private static void CheckKpi(KpiCatalog kpis, string kpi, string? queue, string? team, string file, string path)
    {
        if (!kpis.Contains(kpi))
        {
            throw new BoardFileException(file, path + ".kpi", $"'{kpi}' is not in the KPI catalogue");
        }

        var version = kpis.Get(kpi).Latest;
        if (queue is not null)
        {
            if (version.Population.Queues.Count == 0 || version.Kind == FormulaKind.Entered)
            {
                throw new BoardFileException(file, path + ".kpi", $"'{kpi}' is not a contact-centre KPI; a queue tile needs one");
            }

            if (!version.Population.Queues.Contains(queue))
            {
                throw new BoardFileException(file, path + ".queue", $"'{queue}' is not in the population of '{kpi}' ({string.Join(", ", version.Population.Queues)})");
            }
        }
        else
        {
            if (version.Population.Teams.Count == 0 || version.Kind == FormulaKind.Entered)
            {
                throw new BoardFileException(file, path + ".kpi", $"'{kpi}' is not a back-office KPI; a team tile needs one");
            }

            if (!version.Population.Teams.Contains(team!))
            {
                throw new BoardFileException(file, path + ".team", $"'{team}' is not in the population of '{kpi}' ({string.Join(", ", version.Population.Teams)})");
            }
        }
    }

    private static string RequiredString(JsonObject obj, string key, string file, string path) =>
        OptionalString(obj, key, file, path) ?? throw new BoardFileException(file, path, "is required");

    private static string? OptionalString(JsonObject obj, string key, string file, string path)
    {
        if (obj[key] is null)
        {
            return null;
        }

        try
        {
            var value = obj[key]!.GetValue<string>();
            return string.IsNullOrWhiteSpace(value) ? throw new BoardFileException(file, path, "must not be empty") : value;
        }
        catch (InvalidOperationException)
        {
            throw new BoardFileException(file, path, "must be a string");
        }
    }

    private static int? OptionalInt(JsonObject obj, string key, string file, string path, int min, int max)
    {
        if (obj[key] is null)
        {
            return null;
        }

        int value;
        try
        {
            value = obj[key]!.GetValue<int>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new BoardFileException(file, path, "must be a whole number");
        }

        return value < min || value > max
            ? throw new BoardFileException(file, path, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"))
            : value;
    }

    private static bool? OptionalBool(JsonObject obj, string key, string file, string path)
    {
        if (obj[key] is null)
        {
            return null;
        }

        try
        {
            return obj[key]!.GetValue<bool>();
        }
        catch (InvalidOperationException)
        {
            throw new BoardFileException(file, path, "must be true or false");
        }
    }
}
