//! The evaluator's plan and state: which rules each event kind triggers, and per subject the
//! balances, counts and running sums the rules need — dense vectors indexed by subject, so that
//! memory grows with subjects × rules, never with records.

use rust_decimal::Decimal;

use crate::model::{
    AccountId, Action, Cap, ClauseId, Compact, EventId, HOUSEHOLD, KindId, Per, Rule,
};

/// One event rule reachable from an event kind.
#[derive(Debug, Clone, Copy)]
pub struct RuleRef {
    /// The clause.
    pub clause: ClauseId,
    /// The rule's index in the clause.
    pub rule: usize,
    /// The event kind's position in the rule's list of events (for field lookups).
    pub position: usize,
}

/// What the state of one kind of subject holds, and where.
#[derive(Debug, Default, Clone)]
pub struct Layout {
    /// The kind's accounts (global ids), in local order.
    pub accounts: Vec<AccountId>,
    /// The kind's event kinds (global ids), in local order, for counts.
    pub events: Vec<EventId>,
    /// Slots of running sums: how many per subject.
    pub slots: usize,
    /// Streak rules of the kind: (clause, rule index), in local order.
    pub streaks: Vec<(ClauseId, usize)>,
    /// Local accounts whose credits are also summed per month of the period, for ratings
    /// judged per quarter or month (每季度 评定 …).
    pub monthly: Vec<usize>,
}

/// Which slot holds what.
#[derive(Debug, Default)]
pub struct Plan {
    /// Per event kind, the rules it may trigger, in clause order.
    pub by_event: Vec<Vec<RuleRef>>,
    /// Per kind, the layout of its state.
    pub layouts: Vec<Layout>,
    /// Account → (kind, local index).
    pub account_slot: Vec<(KindId, usize)>,
    /// Event kind → local index in its owner's layout.
    pub event_slot: Vec<usize>,
    /// [clause][rule][cap] → slot, for caps of event rules.
    pub rule_caps: Vec<Vec<Vec<usize>>>,
    /// [chapter][kind][cap] → slot.
    pub chapter_caps: Vec<Vec<Vec<usize>>>,
    /// [account][cap] → slot.
    pub account_caps: Vec<Vec<usize>>,
    /// [account][group] → the slot holding the group's running balance this period.
    pub group_slots: Vec<Vec<usize>>,
    /// [clause][rule] → first of two slots, for ladders (the cumulative quantity, then the
    /// points paid so far).
    pub ladders: Vec<Vec<Option<usize>>>,
    /// [event kind] → the local indexes of the streak rules it breaks.
    pub streaks_by_event: Vec<Vec<usize>>,
    /// [clause] → what crediting its amounts needs, resolved from the slots above.
    pub credits: Vec<ClauseCredit>,
    /// [event kind] → whether its records (a roster's) reach the person's household: a
    /// clause it triggers counts them in household accounts or per household.
    pub reaches_household: Vec<bool>,
}

/// What crediting an amount of one clause needs, resolved once rather than looked up through
/// the compact for every record: its caps with their slots, and its accounts'.
#[derive(Debug, Default, Clone)]
pub struct ClauseCredit {
    /// [rule] → the rule's caps, each with its slot.
    pub rule_caps: Vec<Vec<(usize, Cap)>>,
    /// [kind] → the caps of the clause's chapter, each with the kind's slot.
    pub chapter_caps: Vec<Vec<(usize, Cap)>>,
    /// The accounts it books to, in order.
    pub accounts: Vec<AccountCredit>,
    /// Whose points it counts (its chapter's caps count there).
    pub per: Per,
    /// Whether anything of it is counted per household for a person's record: a 每户 cap, a
    /// household account, or the clause scoring the household.
    pub reaches_household: bool,
}

/// One account a clause books to.
#[derive(Debug, Clone)]
pub struct AccountCredit {
    /// The account.
    pub id: AccountId,
    /// Its subject kind: the record's, or households' for a person's record counted in the
    /// household (按人记录，计入户).
    pub owner: KindId,
    /// Its index in its kind's state.
    pub local: usize,
    /// Its caps, each with its slot.
    pub caps: Vec<(usize, Cap)>,
    /// 最低 N 分.
    pub floor: Option<Decimal>,
    /// 计入 账户「分项」: the group the clause counts in.
    pub group: Option<GroupCredit>,
    /// 计入 户积分（按 50%）: the share of the clause's points it takes, in percent.
    pub share: Option<Decimal>,
}

/// The group of an account a clause counts in.
#[derive(Debug, Clone)]
pub struct GroupCredit {
    /// Its index among the account's groups.
    pub index: usize,
    /// The slot of its running balance.
    pub slot: usize,
    /// Deductions stop where its balance reaches this.
    pub floor: Decimal,
    /// 加满为止: additions stop where its balance reaches this (its base).
    pub ceiling: Option<Decimal>,
}

impl Plan {
    /// Lays out the state for `compact`.
    pub fn new(compact: &Compact) -> Plan {
        let mut plan = Plan {
            by_event: vec![Vec::new(); compact.events.len()],
            layouts: vec![Layout::default(); compact.kinds.len()],
            rule_caps: compact
                .clauses
                .iter()
                .map(|c| vec![Vec::new(); c.rules.len()])
                .collect(),
            ladders: compact
                .clauses
                .iter()
                .map(|c| vec![None; c.rules.len()])
                .collect(),
            chapter_caps: vec![vec![Vec::new(); compact.kinds.len()]; compact.chapters.len()],
            account_caps: vec![Vec::new(); compact.accounts.len()],
            streaks_by_event: vec![Vec::new(); compact.events.len()],
            ..Plan::default()
        };
        for (id, account) in compact.accounts.iter().enumerate() {
            let layout = plan.layouts.get_mut(account.owner);
            let local = layout.as_ref().map_or(0, |l| l.accounts.len());
            if let Some(layout) = layout {
                layout.accounts.push(id);
            }
            plan.account_slot.push((account.owner, local));
        }
        for (id, event) in compact.events.iter().enumerate() {
            let layout = plan.layouts.get_mut(event.owner);
            let local = layout.as_ref().map_or(0, |l| l.events.len());
            if let Some(layout) = layout {
                layout.events.push(id);
            }
            plan.event_slot.push(local);
        }
        let next_slot = |plan: &mut Plan, kind: KindId| -> usize {
            match plan.layouts.get_mut(kind) {
                Some(layout) => {
                    layout.slots += 1;
                    layout.slots - 1
                }
                None => 0,
            }
        };
        for (account_id, account) in compact.accounts.iter().enumerate() {
            for _ in 0..account.caps.len() {
                let slot = next_slot(&mut plan, account.owner);
                if let Some(list) = plan.account_caps.get_mut(account_id) {
                    list.push(slot);
                }
            }
        }
        for account in &compact.accounts {
            let slots = (0..account.groups.len())
                .map(|_| next_slot(&mut plan, account.owner))
                .collect();
            plan.group_slots.push(slots);
        }
        for (clause_id, clause) in compact.clauses.iter().enumerate() {
            for (rule_index, rule) in clause.rules.iter().enumerate() {
                let kind = match rule {
                    Rule::Event(e) => {
                        for (position, &event) in e.events.iter().enumerate() {
                            if let Some(list) = plan.by_event.get_mut(event) {
                                list.push(RuleRef {
                                    clause: clause_id,
                                    rule: rule_index,
                                    position,
                                });
                            }
                        }
                        let kind = e
                            .events
                            .first()
                            .and_then(|ev| compact.events.get(*ev))
                            .map_or(0, |ev| ev.owner);
                        for cap in &e.caps {
                            // 每户 on a roster's records: a sum per household.
                            let counted = match cap.per {
                                Per::Subject => kind,
                                Per::Household => HOUSEHOLD,
                            };
                            let slot = next_slot(&mut plan, counted);
                            if let Some(list) = plan
                                .rule_caps
                                .get_mut(clause_id)
                                .and_then(|c| c.get_mut(rule_index))
                            {
                                list.push(slot);
                            }
                        }
                        if matches!(e.action, Action::Ladder { .. }) {
                            let slot = next_slot(&mut plan, kind);
                            next_slot(&mut plan, kind);
                            if let Some(entry) = plan
                                .ladders
                                .get_mut(clause_id)
                                .and_then(|c| c.get_mut(rule_index))
                            {
                                *entry = Some(slot);
                            }
                        }
                        kind
                    }
                    Rule::Base(b) => b.kind,
                    Rule::Streak(s) => {
                        let local = plan.layouts.get(s.kind).map_or(0, |l| l.streaks.len());
                        if let Some(layout) = plan.layouts.get_mut(s.kind) {
                            layout.streaks.push((clause_id, rule_index));
                        }
                        for &event in &s.events {
                            if let Some(list) = plan.streaks_by_event.get_mut(event) {
                                list.push(local);
                            }
                        }
                        s.kind
                    }
                };
                // A clause that scores a person's household counts its chapter's caps there.
                let kind = match clause.per {
                    Per::Subject => kind,
                    Per::Household => HOUSEHOLD,
                };
                if let Some(chapter) = clause
                    .chapter
                    .and_then(|c| compact.chapters.get(c).map(|ch| (c, ch)))
                {
                    let caps = chapter.1.caps.len();
                    let missing = plan
                        .chapter_caps
                        .get(chapter.0)
                        .and_then(|kinds| kinds.get(kind))
                        .is_some_and(|slots| slots.len() < caps);
                    if missing {
                        let slots: Vec<usize> =
                            (0..caps).map(|_| next_slot(&mut plan, kind)).collect();
                        if let Some(entry) = plan
                            .chapter_caps
                            .get_mut(chapter.0)
                            .and_then(|kinds| kinds.get_mut(kind))
                        {
                            *entry = slots;
                        }
                    }
                }
            }
        }
        // 每季度 / 每月 评定: the accounts they read, summed per month.
        for rating in compact.ratings.iter().filter(|r| r.window.is_some()) {
            if let Some(&(kind, local)) = plan.account_slot.get(rating.account)
                && let Some(layout) = plan.layouts.get_mut(kind)
                && !layout.monthly.contains(&local)
            {
                layout.monthly.push(local);
            }
        }
        plan.credits = credits(compact, &plan);
        plan.reaches_household = vec![false; compact.events.len()];
        for (event, rules) in plan.by_event.iter().enumerate() {
            let reaches = rules.iter().any(|r| {
                plan.credits
                    .get(r.clause)
                    .is_some_and(|c| c.reaches_household)
            });
            if let Some(flag) = plan.reaches_household.get_mut(event) {
                *flag = reaches;
            }
        }
        plan
    }
}

/// Each clause's [`ClauseCredit`], from the slots `plan` laid out.
fn credits(compact: &Compact, plan: &Plan) -> Vec<ClauseCredit> {
    let with_slots = |caps: &[Cap], slots: Option<&Vec<usize>>| -> Vec<(usize, Cap)> {
        caps.iter()
            .enumerate()
            .filter_map(|(k, cap)| Some((*slots?.get(k)?, *cap)))
            .collect()
    };
    compact
        .clauses
        .iter()
        .enumerate()
        .map(|(clause_id, clause)| ClauseCredit {
            per: clause.per,
            reaches_household: compact.reaches_household(clause),
            rule_caps: clause
                .rules
                .iter()
                .enumerate()
                .map(|(rule_index, rule)| match rule {
                    Rule::Event(rule) => with_slots(
                        &rule.caps,
                        plan.rule_caps
                            .get(clause_id)
                            .and_then(|c| c.get(rule_index)),
                    ),
                    _ => Vec::new(),
                })
                .collect(),
            chapter_caps: (0..compact.kinds.len())
                .map(|kind| {
                    clause
                        .chapter
                        .and_then(|c| Some((compact.chapters.get(c)?, plan.chapter_caps.get(c)?)))
                        .map(|(chapter, slots)| with_slots(&chapter.caps, slots.get(kind)))
                        .unwrap_or_default()
                })
                .collect(),
            accounts: clause
                .accounts
                .iter()
                .enumerate()
                .filter_map(|(k, &id)| {
                    let account = compact.accounts.get(id)?;
                    let group = clause.groups.get(k).copied().flatten().and_then(|index| {
                        let group = account.groups.get(index)?;
                        Some(GroupCredit {
                            index,
                            slot: *plan.group_slots.get(id)?.get(index)?,
                            floor: group.floor,
                            ceiling: group.full_at_base.then_some(group.base),
                        })
                    });
                    Some(AccountCredit {
                        id,
                        owner: account.owner,
                        share: clause.shares.get(k).copied().flatten(),
                        local: plan.account_slot.get(id).map_or(0, |(_, l)| *l),
                        caps: with_slots(&account.caps, plan.account_caps.get(id)),
                        floor: account.floor,
                        group,
                    })
                })
                .collect(),
        })
        .collect()
}

/// A running sum over a window (for caps), or a ladder's cumulative quantity or points paid.
#[derive(Debug, Clone, Copy, Default)]
pub struct Slot {
    /// The window the sum belongs to (a month or quarter key; 0 for the period).
    pub window: i32,
    /// The running sum (magnitude), cumulative quantity or points paid.
    pub sum: Decimal,
}

/// Per subject veto flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct Vetoes {
    /// 取消分红资格.
    pub dividend: bool,
    /// Ratings cancelled, by rating id.
    pub ratings: Bits,
    /// Accounts zeroed, by local account index.
    pub zeroed: Bits,
}

/// A set of small indices (rating ids, local account indices), up to [`Bits::CAPACITY`]; the
/// checker refuses a compact with more ratings or accounts than that (E0150), so no index is
/// ever folded onto another.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bits([u64; 4]);

impl Bits {
    /// How many indices the set can hold.
    pub const CAPACITY: usize = 256;

    /// Adds `index`; an index beyond the capacity is not added (the checker refuses such
    /// compacts before evaluation).
    pub fn insert(&mut self, index: usize) {
        if let Some(word) = self.0.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    /// Whether `index` is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }
}

/// How the subjects of a [`KindState`] are spread over its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spread {
    /// One part, every subject at its own index.
    Whole,
    /// One part: the blocks of shard `index` of `count`, one after the other (see
    /// [`super::parallel::local_index`]).
    Own { index: usize, count: usize },
    /// `count` parts, each shard's own: the shards' states put together without copying.
    Joined { count: usize },
}

/// The state of the subjects one part holds, indexed by their place in it.
#[derive(Debug, Clone, Default)]
struct Part {
    /// Approved records this period: subjects × event kinds.
    counts: Vec<u32>,
    /// Per subject, its balances (one per account, in `sum`) then its running sums: one block
    /// per subject, so that a record's caps and balance lie in neighbouring cache lines.
    sums: Vec<Slot>,
    /// Veto flags per subject.
    vetoes: Vec<Vetoes>,
    /// For each streak rule, the last period year with a breaking record (i32::MIN if none).
    last_breaking: Vec<i32>,
    /// Per subject, per monthly account, 12 sums: what was credited in each month of the
    /// period (empty when no rating is judged per quarter or month).
    months: Vec<Decimal>,
    /// Per subject and account, what was taken from the balance this period (积分有效期:
    /// spending takes the oldest points first); empty unless some account expires.
    spent: Vec<Decimal>,
}

/// The state of every subject of one kind — or, for a shard, of its own subjects only.
#[derive(Debug, Clone)]
pub struct KindState {
    /// How many subjects the kind has.
    pub subjects: usize,
    /// Which subjects the parts hold, and where. A shard holds only its own blocks of
    /// subjects, so that two shards of a city hold one city's state between them, not two;
    /// at the end their parts are put together as they are, not copied into one.
    spread: Spread,
    accounts: usize,
    events: usize,
    slots: usize,
    streaks: usize,
    /// Local account → its place among the monthly accounts.
    monthly: Vec<Option<usize>>,
    /// How many monthly accounts.
    monthly_count: usize,
    /// The period's first month, as year × 12 + month − 1.
    first_month: i32,
    /// The only part, or shard 0's of joined ones.
    first: Part,
    /// Joined: the parts of shards 1, 2, …
    rest: Vec<Part>,
}

impl KindState {
    /// Zeroed state for `subjects` subjects laid out by `layout`.
    pub fn new(subjects: usize, layout: &Layout) -> Self {
        Self::for_shard(subjects, layout, None)
    }

    /// Zeroed state for the subjects of `shard` (this shard, number of shards) of a kind with
    /// `subjects` subjects; for all of them when `shard` is `None`.
    pub fn for_shard(subjects: usize, layout: &Layout, shard: Option<(usize, usize)>) -> Self {
        let (held, spread) = match shard {
            None => (subjects, Spread::Whole),
            Some((index, count)) => (
                super::parallel::held_by(subjects, index, count),
                Spread::Own { index, count },
            ),
        };
        KindState {
            subjects,
            spread,
            accounts: layout.accounts.len(),
            events: layout.events.len(),
            slots: layout.slots,
            streaks: layout.streaks.len(),
            monthly: (0..layout.accounts.len())
                .map(|a| layout.monthly.iter().position(|m| *m == a))
                .collect(),
            monthly_count: layout.monthly.len(),
            first_month: 0,
            first: Part {
                counts: vec![0; held * layout.events.len()],
                sums: vec![Slot::default(); held * (layout.accounts.len() + layout.slots)],
                vetoes: vec![Vetoes::default(); held],
                last_breaking: vec![i32::MIN; held * layout.streaks.len()],
                months: vec![Decimal::ZERO; held * layout.monthly.len() * 12],
                spent: Vec::new(),
            },
            rest: Vec::new(),
        }
    }

    /// The states of every shard of one kind (each holding its own subjects) as one state of
    /// all its subjects. Their memory is kept as it is: nothing is copied.
    pub fn join(shards: Vec<KindState>) -> Option<KindState> {
        let mut shards: Vec<(usize, KindState)> = shards
            .into_iter()
            .map(|s| match s.spread {
                Spread::Own { index, .. } => (index, s),
                _ => (0, s),
            })
            .collect();
        shards.sort_by_key(|(index, _)| *index);
        let count = shards.len();
        let mut parts = shards.into_iter().map(|(_, s)| s);
        let mut joined = parts.next()?;
        if count > 1 {
            joined.rest = parts.map(|s| s.first).collect();
            joined.spread = Spread::Joined { count };
        }
        Some(joined)
    }

    /// Which part holds `subject`, and where in it.
    #[inline]
    fn place(&self, subject: u32) -> (usize, usize) {
        match self.spread {
            Spread::Whole => (0, subject as usize),
            Spread::Own { index, count } => {
                debug_assert_eq!(super::parallel::shard_of(subject, count), index);
                (0, super::parallel::local_index(subject, count))
            }
            Spread::Joined { count } => (
                super::parallel::shard_of(subject, count),
                super::parallel::local_index(subject, count),
            ),
        }
    }

    #[inline]
    fn part(&self, which: usize) -> Option<&Part> {
        match which {
            0 => Some(&self.first),
            _ => self.rest.get(which - 1),
        }
    }

    #[inline]
    fn part_mut(&mut self, which: usize) -> Option<&mut Part> {
        match which {
            0 => Some(&mut self.first),
            _ => self.rest.get_mut(which - 1),
        }
    }

    /// Whether this state holds `subject`.
    pub fn holds(&self, subject: u32) -> bool {
        (subject as usize) < self.subjects
            && match self.spread {
                Spread::Own { index, count } => super::parallel::shard_of(subject, count) == index,
                Spread::Whole | Spread::Joined { .. } => true,
            }
    }

    /// Clears what belongs to one period (balances, counts, sums, vetoes), keeping history.
    pub fn reset_period(&mut self) {
        for part in std::iter::once(&mut self.first).chain(&mut self.rest) {
            part.counts.fill(0);
            part.sums.fill(Slot::default());
            part.vetoes.fill(Vetoes::default());
            part.months.fill(Decimal::ZERO);
            part.spent.fill(Decimal::ZERO);
        }
    }

    /// Sets the period's first day, from which credits are summed per month.
    pub fn start_months(&mut self, first: crate::model::value::Day) {
        let (year, month, _) = super::period::civil_from_days(first);
        self.first_month = year * 12 + month as i32 - 1;
    }

    /// Forgets the monthly sums so far (what opened the period: base points, carries).
    pub fn open_months(&mut self) {
        if self.monthly_count == 0 {
            return;
        }
        for part in std::iter::once(&mut self.first).chain(&mut self.rest) {
            part.months.fill(Decimal::ZERO);
        }
    }

    /// What was credited to local account `account` in month `index` (from 0) of the period.
    pub fn month_sum(&self, subject: u32, account: usize, index: usize) -> Decimal {
        let Some(Some(m)) = self.monthly.get(account) else {
            return Decimal::ZERO;
        };
        let (which, at) = self.place(subject);
        self.part(which)
            .and_then(|p| p.months.get((at * self.monthly_count + m) * 12 + index))
            .copied()
            .unwrap_or_default()
    }

    /// Keeps, from now on, what each subject spends of each account in a period (see
    /// [`KindState::spent`]).
    pub fn track_spending(&mut self) {
        let accounts = self.accounts;
        let width = accounts + self.slots;
        for part in std::iter::once(&mut self.first).chain(&mut self.rest) {
            let held = part.sums.len().checked_div(width).unwrap_or(0);
            part.spent = vec![Decimal::ZERO; held * accounts];
        }
    }

    /// What `subject` took from local account `account` this period (negative credits), when
    /// spending is tracked.
    pub fn spent(&self, subject: u32, account: usize) -> Decimal {
        let (which, at) = self.place(subject);
        self.part(which)
            .and_then(|p| p.spent.get(at * self.accounts + account))
            .copied()
            .unwrap_or_default()
    }

    /// Adds to a balance on `day` (summed per month too when the account is monthly).
    #[inline]
    pub fn credit_on(
        &mut self,
        subject: u32,
        account: usize,
        amount: Decimal,
        day: crate::model::value::Day,
    ) {
        self.credit(subject, account, amount);
        self.add_to_month(subject, account, amount, day);
    }

    /// Adds to a balance on `day` without counting it as spending (an expiry, a clearing),
    /// summed per month too when the account is monthly, so that a quarter's balance read
    /// back from the year's (按 户积分) does not take it for an earlier quarter's.
    pub fn adjust_on(
        &mut self,
        subject: u32,
        account: usize,
        amount: Decimal,
        day: crate::model::value::Day,
    ) {
        self.adjust(subject, account, amount);
        self.add_to_month(subject, account, amount, day);
    }

    /// The monthly sum of `day`'s month, when the account is monthly.
    fn add_to_month(
        &mut self,
        subject: u32,
        account: usize,
        amount: Decimal,
        day: crate::model::value::Day,
    ) {
        if self.monthly_count == 0 {
            return;
        }
        let Some(Some(m)) = self.monthly.get(account).copied() else {
            return;
        };
        let (year, month, _) = super::period::civil_from_days(day);
        let index = (year * 12 + month as i32 - 1 - self.first_month).clamp(0, 11) as usize;
        let (which, at) = self.place(subject);
        let count = self.monthly_count;
        if let Some(sum) = self
            .part_mut(which)
            .and_then(|p| p.months.get_mut((at * count + m) * 12 + index))
        {
            *sum = super::sums::add(*sum, amount);
        }
    }

    /// Adds to a balance without counting it as spending or earning (a carried balance, an
    /// expiry).
    pub fn adjust(&mut self, subject: u32, account: usize, amount: Decimal) {
        let (which, at) = self.place(subject);
        let width = self.accounts + self.slots;
        if let Some(b) = self
            .part_mut(which)
            .and_then(|p| p.sums.get_mut(at * width + account))
        {
            b.sum = super::sums::add(b.sum, amount);
        }
    }

    /// The balance of local account `account`.
    #[inline]
    pub fn balance(&self, subject: u32, account: usize) -> Decimal {
        let (which, at) = self.place(subject);
        self.part(which)
            .and_then(|p| p.sums.get(at * (self.accounts + self.slots) + account))
            .map(|s| s.sum)
            .unwrap_or_default()
    }

    /// Adds to a balance.
    #[inline]
    pub fn credit(&mut self, subject: u32, account: usize, amount: Decimal) {
        let (which, at) = self.place(subject);
        let (width, accounts) = (self.accounts + self.slots, self.accounts);
        let Some(part) = self.part_mut(which) else {
            return;
        };
        if let Some(b) = part.sums.get_mut(at * width + account) {
            b.sum = super::sums::add(b.sum, amount);
        }
        if amount.is_sign_negative()
            && let Some(s) = part.spent.get_mut(at * accounts + account)
        {
            *s = super::sums::add(*s, -amount);
        }
    }

    /// Counts one more approved record of local event kind `event`; returns the new count.
    #[inline]
    pub fn bump(&mut self, subject: u32, event: usize) -> u32 {
        let (which, at) = self.place(subject);
        let events = self.events;
        match self
            .part_mut(which)
            .and_then(|p| p.counts.get_mut(at * events + event))
        {
            Some(c) => {
                *c += 1;
                *c
            }
            None => 1,
        }
    }

    /// A running-sum slot.
    #[inline]
    pub fn slot(&mut self, subject: u32, slot: usize) -> Option<&mut Slot> {
        let (which, at) = self.place(subject);
        let (width, accounts) = (self.accounts + self.slots, self.accounts);
        self.part_mut(which)?
            .sums
            .get_mut(at * width + accounts + slot)
    }

    /// A running-sum slot's value (for results).
    #[inline]
    pub fn slot_value(&self, subject: u32, slot: usize) -> Option<Decimal> {
        let (which, at) = self.place(subject);
        let (width, accounts) = (self.accounts + self.slots, self.accounts);
        self.part(which)?
            .sums
            .get(at * width + accounts + slot)
            .map(|s| s.sum)
    }

    /// Veto flags.
    pub fn vetoes_mut(&mut self, subject: u32) -> Option<&mut Vetoes> {
        let (which, at) = self.place(subject);
        self.part_mut(which)?.vetoes.get_mut(at)
    }

    /// Veto flags (none set for a subject not held).
    pub fn vetoes_of(&self, subject: u32) -> Vetoes {
        let (which, at) = self.place(subject);
        self.part(which)
            .and_then(|p| p.vetoes.get(at))
            .copied()
            .unwrap_or_default()
    }

    /// The last period with a breaking record for local streak `streak`.
    pub fn breaking_mut(&mut self, subject: u32, streak: usize) -> Option<&mut i32> {
        let (which, at) = self.place(subject);
        let streaks = self.streaks;
        self.part_mut(which)?
            .last_breaking
            .get_mut(at * streaks + streak)
    }

    /// How many streak rules.
    pub fn streak_count(&self) -> usize {
        self.streaks
    }
}
