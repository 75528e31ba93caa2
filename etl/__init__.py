"""Pathway plan quality ETL.

The flow, top to bottom:
    readers   -> find the header row, decode, give raw rows with their row numbers
    columns   -> match headers to canonical names, detect the kind of export
    normalise -> dates, yes/no, ratings, person_key (SQL over the raw rows)
    checks    -> each row loaded, rejected (with reason) or duplicate
    load      -> one transaction on a copy of the warehouse, then an atomic swap
    sql/views -> the public contract (SPEC section 4)
"""
