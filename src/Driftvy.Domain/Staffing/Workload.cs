namespace Driftvy.Domain.Staffing;

/// <summary>
/// The work offered to a queue: <paramref name="Calls"/> arriving in <paramref name="Interval"/>, each taking
/// <paramref name="HandleTime"/> on average (talk, hold and wrap-up). Its load in Erlangs is the number of agents
/// that would be busy all the time if nobody ever waited.
/// </summary>
public sealed record Workload(double Calls, TimeSpan Interval, TimeSpan HandleTime)
{
    /// <summary>Calls per second.</summary>
    public double ArrivalRate => Calls / Interval.TotalSeconds;

    /// <summary>Offered load in Erlangs: calls × handle time ÷ interval.</summary>
    public double Load => Calls * HandleTime.TotalSeconds / Interval.TotalSeconds;

    /// <summary>Throws <see cref="StaffingInputException"/> when the workload cannot describe a real queue.</summary>
    public void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new StaffingInputException("interval_not_positive", "the interval must be longer than zero");
        }

        if (double.IsNaN(Calls) || double.IsInfinity(Calls) || Calls < 0)
        {
            throw new StaffingInputException("calls_negative", "calls must be zero or more");
        }

        if (HandleTime < TimeSpan.Zero)
        {
            throw new StaffingInputException("handle_time_negative", "the handle time must be zero or more");
        }

        if (Calls > 0 && HandleTime == TimeSpan.Zero)
        {
            throw new StaffingInputException("handle_time_zero", "calls with a handle time of zero need no agents: give the mean handle time");
        }
    }
}

/// <summary>Input that no queue can have (zero interval, negative calls, a target above 100 % …).</summary>
/// <remarks><see cref="Code"/> names the problem for programs; the message is for people.</remarks>
public sealed class StaffingInputException : ArgumentException
{
    public StaffingInputException()
    {
        Code = "invalid";
    }

    public StaffingInputException(string message)
        : base(message)
    {
        Code = "invalid";
    }

    public StaffingInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "invalid";
    }

    public StaffingInputException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>A stable code such as <c>interval_not_positive</c>.</summary>
    public string Code { get; }
}
