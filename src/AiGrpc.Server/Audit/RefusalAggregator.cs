namespace AiGrpc.Server.Audit;

/// <summary>
/// Keeps a flood of refused anonymous calls (no valid key: 401, or 429 once the failed-authentication limit is hit)
/// from writing one audit line each. Per client IP, status and route family, the first refusal of a window is
/// written as it is; the others in that window are counted and written as one line with <c>repeats</c> when the
/// window ends. Memory is bounded: past <see cref="MaxKeys"/> groups, further refusals share one group per status.
/// </summary>
public sealed class RefusalAggregator(TimeProvider time, TimeSpan window)
{
    /// <summary>Groups kept at most within a window.</summary>
    public const int MaxKeys = 10_000;

    private readonly Dictionary<(string? Ip, int Status, string Family), Group> _groups = [];
    private readonly Lock _lock = new();

    /// <summary>Length of a window.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>True when <paramref name="e"/> should be written now (the first of its group in this window);
    /// false when it was counted into its group's summary line.</summary>
    public bool ShouldWrite(AuditEvent e, string family)
    {
        ArgumentNullException.ThrowIfNull(e);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var key = (e.ClientIp, e.HttpStatus, family);
            if (!_groups.ContainsKey(key) && _groups.Count >= MaxKeys)
            {
                key = (null, e.HttpStatus, "overflow");
            }

            if (_groups.TryGetValue(key, out var group) && now - group.Since < Window)
            {
                group.Repeats++;
                group.Last = e;
                return false;
            }

            _groups[key] = new Group(now) { Last = e };
            return true;
        }
    }

    /// <summary>Summary lines of the groups whose window has ended (all of them when <paramref name="all"/>), with the
    /// count of refusals not written one by one; those groups are forgotten.</summary>
    public List<AuditEvent> Drain(bool all = false)
    {
        var now = time.GetUtcNow();
        var lines = new List<AuditEvent>();
        lock (_lock)
        {
            foreach (var (key, group) in _groups.Where(g => all || now - g.Value.Since >= Window).ToList())
            {
                _groups.Remove(key);
                if (group.Repeats > 0)
                {
                    lines.Add(group.Last! with { Time = group.Since, Repeats = group.Repeats });
                }
            }
        }

        return lines;
    }

    private sealed class Group(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public long Repeats { get; set; }

        public AuditEvent? Last { get; set; }
    }
}
