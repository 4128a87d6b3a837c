"""What people write in a win-back team's records: words by loss-reason category, notes,
plan sections and evidence. Keyed by the default taxonomy's category names."""

# Category → (the customer's words, the team's notes).
VIEW_WORDS = {
    "Price": (
        "Your prices went up twice in one year and nobody explained why.",
        "Renewal quote was 12% above the competitor's; we did not match.",
    ),
    "Competitor's new product": (
        "The other supplier showed us something you simply did not have.",
        "Competitor launched a bundled service; we had nothing comparable that quarter.",
    ),
    "Product gap": (
        "We needed it to work with our ordering system and it never did.",
        "Integration was promised on the roadmap and slipped twice.",
    ),
    "Delivery problems": (
        "Three late deliveries in the busiest month. That was the end of it.",
        "Depot staffing problems caused missed delivery slots for six weeks.",
    ),
    "Quality / defects": (
        "Too many returns; our staff stopped trusting the products.",
        "Batch defects from the old packing line; credit notes were slow.",
    ),
    "Billing errors": (
        "Every invoice needed a phone call to fix.",
        "Invoices were built from order data, not deliveries; errors piled up.",
    ),
    "Service / support": (
        "We never knew who to call, and nobody called back.",
        "Support queue times doubled after the reorganisation.",
    ),
    "Relationship": (
        "After our account manager left, nobody knew our history.",
        "Personality clash between their buyer and our area manager.",
    ),
    "Budget cut": (
        "Our budget was cut by a third; it was nothing personal.",
        "They cut spending across all suppliers after a poor year.",
    ),
    "Needs changed": (
        "We moved most of that work in-house.",
        "Their business model changed; volumes dropped below our minimum.",
    ),
    "No decision": (
        "The project was put on hold indefinitely.",
        "Decision stalled after their sponsor left; no one picked it up.",
    ),
    "Other": ("It was time for a change.", "Reason unclear; follow up in discovery."),
}
SALES_HISTORY = (
    "Customer for {years} years, buying {product} worth about {value} a year.",
    "Bought {product} from us for {years} years; two sites, one central buyer.",
    "Long-standing account ({years} years), mostly {product}, reordered monthly.",
)
LOST_DEAL_HISTORY = (
    "Evaluated us for {product} in a three-way tender; final round.",
    "Trialled our {product} for two months before choosing another supplier.",
)
ATTEMPT_NOTES = {
    "reached": (
        "Spoke for ten minutes; open to hearing what changed.",
        "Happy to do 15 minutes next week.",
        "Talked through the delivery issues; they appreciated the call.",
        "Not the right person; gave us the operations director's name.",
    ),
    "left_voicemail": (
        "Left a short voicemail and followed up by email.",
        "Voicemail with the new delivery figures.",
    ),
    "no_answer": ("No answer; try in the morning.", "Rang out."),
    "wrong_number": ("Number no longer in use.",),
    "email_sent": ("Sent the short check-in email.", "Shared the case study on returns."),
    "replied": (
        "Replied: busy this month, try again in spring.",
        "Replied with questions about pricing.",
    ),
    "bounced": ("Email bounced; contact may have left.",),
    "declined": (
        "Politely declined; contract runs another year.",
        "Not interested at the moment.",
    ),
}
CALLBACK_NOTES = (
    "Follow up on the voicemail",
    "Send the new delivery figures",
    "Ask for 15 minutes",
    "Check their budget meeting went ahead",
    "Call the new operations director",
    "Share the returns case study",
    "Check in after their peak season",
)
NURTURE_NOTE = "Keep in touch: share what is new"
SURVEY_TEXTS = (
    "Get deliveries right for three months and call me.",
    "One contact who answers billing questions.",
    "Nothing: our budget is back next year.",
    "A named engineer we can call.",
    "Proof that the new depot works.",
    "Match the other offer and we will talk.",
    "Show us the integration working with our system.",
    "Honestly, nothing right now.",
    "Call us when the contract is up.",
    "Fewer invoice corrections, please.",
)
NEEDS = (
    "- Next-day delivery to every site without chasing.",
    "- One named contact who knows their history.",
    "- Invoices that match the delivery notes.",
    "- Integration with their ordering system.",
    "- A fixed price for two years.",
    "- Monthly reporting on returns and defects.",
)
COMMITMENTS = (
    "One named account manager, a monthly review of every open issue, and a call from us "
    "before anything that affects your orders changes.",
    "Every late delivery is credited automatically, and you get a monthly on-time report.",
    "A quarterly business review with our operations lead, and an escalation line that "
    "answers within a working day.",
)
OFFERS = (
    "Three months at last year's prices, then a review together.",
    "Free delivery for the first six months and a 5% loyalty discount from year two.",
    "A 60-day trial on one site before any commitment.",
)
ESCALATIONS = (
    "If they decline, the head of customer success calls within two weeks.",
    "Bring in the operations director if the trial slips.",
    "Escalate to the sponsor if there is no answer within a month.",
)
DECISION_WORDS = {
    "accepted": "We'll give it a go.",
    "declined": "Not now; our contract runs until next year.",
    "won_back": "Good to be working together again.",
    "closed": "",
}
# Category → (evidence title stem, what changed, metric name, before, after, unit).
EVIDENCE = {
    "Price": (
        "Simpler price list",
        "Fewer price bands and a two-year price promise.",
        "price changes per year",
        3,
        1,
        "",
    ),
    "Competitor's new product": (
        "New product range",
        "A range that matches the market's newest offers, bundled with service.",
        "",
        None,
        None,
        "",
    ),
    "Product gap": (
        "Ordering system integration",
        "Orders flow from the common ERP systems without retyping.",
        "orders retyped",
        40,
        2,
        "%",
    ),
    "Delivery problems": (
        "New delivery partner",
        "A national carrier with next-day slots and live tracking.",
        "on-time deliveries",
        82,
        99,
        "%",
    ),
    "Quality / defects": (
        "New packing line",
        "New machines and an inspection step before every shipment.",
        "returns",
        4,
        0.2,
        "%",
    ),
    "Billing errors": (
        "Billing system replaced",
        "Invoices are built from the delivery record; credit notes within 48 hours.",
        "invoice errors",
        6.5,
        0.4,
        "%",
    ),
    "Service / support": (
        "Named account managers",
        "One named account manager who answers within a working day.",
        "hours to first reply",
        24,
        4,
        " h",
    ),
    "Relationship": (
        "Account handover process",
        "A written handover and a joint visit whenever an account manager changes.",
        "",
        None,
        None,
        "",
    ),
    "Budget cut": (
        "Flexible contract terms",
        "Monthly terms and smaller minimum orders.",
        "minimum order",
        500,
        150,
        " €",
    ),
    "Needs changed": (
        "Managed service option",
        "We run the process for you, on site or remotely.",
        "",
        None,
        None,
        "",
    ),
    "No decision": ("Pilot programme", "A free 60-day pilot on one site.", "", None, None, ""),
    "Other": (
        "Customer council",
        "Former and current customers review our plans twice a year.",
        "",
        None,
        None,
        "",
    ),
}
