"""Connected components of the deterministic identity graph, with the oversize guardrail.

Union-find runs to convergence by construction (no fixed number of join passes). A component that
carries more distinct emails and phones than `identity_max_cluster_identifiers` is not a person but
a chain through shared values: it is flagged and broken back into the components of its reference
edges alone (order -> customer and the like), never silently merged.

Households: the same union-find run over the cluster edges plus the household values (emails and
phones classed `shared`: two or more people type them) gives each cluster its household component.
A household is a few people, so a component gathering more than `max_household_clusters` clusters is
a chain through look-alike values, not a family: its clusters are households of their own.
"""

from collections import defaultdict

import pandas as pd


def _components(node_ids, edges):
    """Map every node to the representative of its connected component (union-find)."""
    parent = {node: node for node in node_ids}

    def find(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for node_a, node_b in edges:
        root_a, root_b = find(node_a), find(node_b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return {node: find(node) for node in node_ids}


def _households(cluster_of, identifiers, household_values, max_clusters):
    """Map every cluster to its household's representative: clusters joined by shared emails/phones."""
    shared = identifiers.merge(household_values, on=["identifier_type", "identifier_value"])
    first_cluster_of_value = {}
    edges = []
    for node_id, kind, value in zip(shared["node_id"], shared["identifier_type"], shared["identifier_value"]):
        cluster = cluster_of[node_id]
        first = first_cluster_of_value.setdefault((kind, value), cluster)
        if first != cluster:
            edges.append((first, cluster))
    clusters = sorted(set(cluster_of.values()))
    household_of = _components(clusters, edges)
    members = defaultdict(int)
    for household in household_of.values():
        members[household] += 1
    return {cluster: household if members[household] <= max_clusters else cluster
            for cluster, household in household_of.items()}


def model(dbt, session):
    dbt.config(materialized="table")
    max_identifiers = int(dbt.config.get("max_cluster_identifiers"))
    max_household_clusters = int(dbt.config.get("max_household_clusters"))
    nodes = dbt.ref("int_identity_nodes").select("node_id").df()
    edges = dbt.ref("int_identity_edges_deterministic").df()
    identifiers = dbt.ref("int_identity_identifiers").df()
    household_values = dbt.ref("int_identity_identifier_values").filter("value_class = 'shared'").select(
        "identifier_type, identifier_value").df()

    node_ids = nodes["node_id"].tolist()
    component_of = _components(node_ids, zip(edges["node_a"], edges["node_b"]))

    values_per_component = defaultdict(set)
    for node_id, kind, value in zip(
        identifiers["node_id"], identifiers["identifier_type"], identifiers["identifier_value"]
    ):
        if kind in ("email", "phone"):
            values_per_component[component_of[node_id]].add((kind, value))
    oversized = {root for root, values in values_per_component.items() if len(values) > max_identifiers}

    reference_edges = edges[~edges["rule"].str.startswith("same_")]
    flagged_nodes = [node for node in node_ids if component_of[node] in oversized]
    flagged_set = set(flagged_nodes)
    fallback_of = _components(
        flagged_nodes,
        [
            (a, b)
            for a, b in zip(reference_edges["node_a"], reference_edges["node_b"])
            if a in flagged_set and b in flagged_set
        ],
    )

    cluster_of = {node: fallback_of.get(node, component_of[node]) for node in node_ids}
    household_of = _households(cluster_of, identifiers, household_values, max_household_clusters)

    rows = {
        "node_id": node_ids,
        "deterministic_cluster_id": [cluster_of[node] for node in node_ids],
        "household_cluster_id": [household_of[cluster_of[node]] for node in node_ids],
        "oversized_component_id": [component_of[node] if node in flagged_set else None for node in node_ids],
        "oversized_component_identifiers": [
            len(values_per_component[component_of[node]]) if node in flagged_set else None for node in node_ids
        ],
    }
    return pd.DataFrame(rows)
