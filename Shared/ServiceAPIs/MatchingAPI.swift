import RPC
import Wire

/// The methods of `mentornet.matching.v1.Matching`, for servers and clients alike.
public enum MatchingAPI {
    /// The service's full name.
    public static let service = "mentornet.matching.v1.Matching"
    /// The best mentors or peers for a member, with explanations.
    public static let getSuggestions = MethodDescriptor<GetSuggestionsRequest, GetSuggestionsResponse>(
        service: service, name: "GetSuggestions")
    /// Proposes a match (a member's request, or an administrator's proposal); honours `idempotency-key`.
    public static let proposeMatch = MethodDescriptor<ProposeMatchRequest, Match>(
        service: service, name: "ProposeMatch")
    /// A partner accepts; when both have, the match is active.
    public static let acceptMatch = MethodDescriptor<MatchActionRequest, Match>(service: service, name: "AcceptMatch")
    /// A partner declines a proposal.
    public static let declineMatch = MethodDescriptor<MatchActionRequest, Match>(
        service: service, name: "DeclineMatch")
    /// A partner withdraws a proposal.
    public static let withdrawMatch = MethodDescriptor<MatchActionRequest, Match>(
        service: service, name: "WithdrawMatch")
    /// A partner ends an active match: completed or ended, with a reason.
    public static let endMatch = MethodDescriptor<EndMatchRequest, Match>(service: service, name: "EndMatch")
    /// Reads a match.
    public static let getMatch = MethodDescriptor<GetMatchRequest, Match>(service: service, name: "GetMatch")
    /// A member's matches, newest first, a page at a time.
    public static let listMatches = MethodDescriptor<ListMatchesRequest, ListMatchesResponse>(
        service: service, name: "ListMatches")
    /// Reads the matching change feed after a position.
    public static let listChanges = MethodDescriptor<ListMatchChangesRequest, ListMatchChangesResponse>(
        service: service, name: "ListChanges")
    /// Computes and stores a round for a network (a dry run: nothing is proposed).
    public static let runRound = MethodDescriptor<RunRoundRequest, Round>(service: service, name: "RunRound")
    /// Proposes a dry-run round's pairs.
    public static let publishRound = MethodDescriptor<GetRoundRequest, Round>(service: service, name: "PublishRound")
    /// Reads a round.
    public static let getRound = MethodDescriptor<GetRoundRequest, Round>(service: service, name: "GetRound")
    /// Streams the matching change feed after a position, then every new change.
    public static let watchChanges = MethodDescriptor<ListMatchChangesRequest, MatchChange>(
        service: service, name: "WatchChanges")
}
