"""Starts moto server, reading a conditioned Deny as AWS does.

moto skips a condition whose key the request does not carry, or whose operator it does not know,
so a conditioned Deny applies to every request. AWS applies it only when the condition holds:
with moto's reading, the registry broker's deny of revoked customers' sessions (keyed on
aws:SourceIdentity, which moto never supplies) would deny every session of the role. Here such a
Deny applies only when moto can show its condition holds. Allow statements are left as moto reads
them: the tests' AWS oracle, not the emulator, judges what is allowed.
"""
import sys

from moto.iam import access_control, policy_conditions
from moto.server import main

_permitted = access_control.IAMPolicyStatement.is_action_permitted


def _provable(conditions, incoming):
    """True when every condition names only keys the request carries, under operators moto evaluates."""
    incoming = incoming or {}
    return all(
        operator in policy_conditions.CONDITION_OPERATIONS and all(key in incoming for key in values)
        for operator, values in conditions.items()
    )


def _is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    conditions = self._statement.get("Condition")
    if self._statement.get("Effect") == "Deny" and conditions and not _provable(conditions, incoming_condition_values):
        return access_control.PermissionResult.NEUTRAL
    return _permitted(self, action, resource, principal, incoming_condition_values)


access_control.IAMPolicyStatement.is_action_permitted = _is_action_permitted

if __name__ == "__main__":
    main(sys.argv[1:])
