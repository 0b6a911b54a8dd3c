"""LTI 1.3 and roster imports

Revision ID: 0011
Revises: 0010

- lti_platforms / lti_deployments: LMS registrations an admin makes (issuer, client id,
  endpoints, deployment ids), with the platform's key set as last fetched.
- lti_tool_keys: the tool's own signing keys (newest signs; retired ones stay published).
- lti_identities, lti_contexts, lti_links: a launch's user, course and resource link linked
  to a local account, class and assignment.
- lti_grade_sends: the score to send to the LMS per student and link, and how it went.
- lti_stored_values: OIDC nonces/states and launch data shared by every worker.
- users.display_name, users.sourced_id, classes.sourced_id: names and OneRoster ids of
  accounts and classes that came from the school's systems.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # classes gains a unique constraint, which SQLite adds by copying the table; batch mode
    # cannot reflect the expression index on classes and would lose it: take it off first
    # and put it back after (as 0008 and 0010 do).
    op.drop_index("uq_classes_teacher_id_active_name", table_name="classes")
    op.create_table('lti_platforms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('auth_login_url', sa.String(length=500), nullable=False),
    sa.Column('auth_token_url', sa.String(length=500), nullable=False),
    sa.Column('key_set_url', sa.String(length=500), nullable=False),
    sa.Column('audience', sa.String(length=500), nullable=True),
    sa.Column('key_set', sa.JSON(), nullable=True),
    sa.Column('key_set_fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_platforms')),
    sa.UniqueConstraint('issuer', 'client_id', name='uq_lti_platforms_issuer_client_id')
    )
    op.create_table('lti_stored_values',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_lti_stored_values'))
    )
    with op.batch_alter_table('lti_stored_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_stored_values_expires_at'), ['expires_at'], unique=False)

    op.create_table('lti_tool_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('private_pem', sa.Text(), nullable=False),
    sa.Column('public_jwk', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_tool_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_lti_tool_keys_kid'))
    )
    op.create_table('lti_deployments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platforms.id'], name=op.f('fk_lti_deployments_platform_id_lti_platforms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_deployments')),
    sa.UniqueConstraint('platform_id', 'deployment_id', name='uq_lti_deployments_platform_deployment')
    )
    op.create_table('lti_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platforms.id'], name=op.f('fk_lti_identities_platform_id_lti_platforms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lti_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_identities')),
    sa.UniqueConstraint('platform_id', 'subject', name='uq_lti_identities_platform_subject')
    )
    with op.batch_alter_table('lti_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_identities_user_id'), ['user_id'], unique=False)

    op.create_table('lti_contexts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform_id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.String(length=255), nullable=False),
    sa.Column('classroom_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), server_default='', nullable=False),
    sa.Column('memberships_url', sa.String(length=500), nullable=True),
    sa.Column('lineitems_url', sa.String(length=500), nullable=True),
    sa.Column('ags_scopes', sa.JSON(), nullable=True),
    sa.Column('roster_synced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['classroom_id'], ['classes.id'], name=op.f('fk_lti_contexts_classroom_id_classes'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['platform_id'], ['lti_platforms.id'], name=op.f('fk_lti_contexts_platform_id_lti_platforms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_contexts')),
    sa.UniqueConstraint('platform_id', 'context_id', name='uq_lti_contexts_platform_context')
    )
    with op.batch_alter_table('lti_contexts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_contexts_classroom_id'), ['classroom_id'], unique=False)

    op.create_table('lti_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('context_id', sa.Integer(), nullable=False),
    sa.Column('resource_link_id', sa.String(length=255), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), server_default='', nullable=False),
    sa.Column('lineitem_url', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_lti_links_assignment_id_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['context_id'], ['lti_contexts.id'], name=op.f('fk_lti_links_context_id_lti_contexts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_links')),
    sa.UniqueConstraint('context_id', 'resource_link_id', name='uq_lti_links_context_resource_link')
    )
    with op.batch_alter_table('lti_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lti_links_assignment_id'), ['assignment_id'], unique=False)

    op.create_table('lti_grade_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('score_given', sa.Double(), nullable=False),
    sa.Column('score_maximum', sa.Double(), nullable=False),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tries', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name=op.f('ck_lti_grade_sends_status')),
    sa.ForeignKeyConstraint(['link_id'], ['lti_links.id'], name=op.f('fk_lti_grade_sends_link_id_lti_links'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_lti_grade_sends_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lti_grade_sends')),
    sa.UniqueConstraint('link_id', 'user_id', name='uq_lti_grade_sends_link_user')
    )
    with op.batch_alter_table('lti_grade_sends', schema=None) as batch_op:
        batch_op.create_index('ix_lti_grade_sends_status_next_try_at', ['status', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_lti_grade_sends_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sourced_id', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_classes_sourced_id'), ['sourced_id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('sourced_id', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_sourced_id'), ['sourced_id'])

    op.create_index("uq_classes_teacher_id_active_name", "classes",
                    ["teacher_id", sa.text("lower(name)")], unique=True,
                    sqlite_where=sa.text("NOT archived"),
                    postgresql_where=sa.text("NOT archived"))


def downgrade():
    op.drop_index("uq_classes_teacher_id_active_name", table_name="classes")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_sourced_id'), type_='unique')
        batch_op.drop_column('sourced_id')
        batch_op.drop_column('display_name')

    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_classes_sourced_id'), type_='unique')
        batch_op.drop_column('sourced_id')

    with op.batch_alter_table('lti_grade_sends', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_grade_sends_user_id'))
        batch_op.drop_index('ix_lti_grade_sends_status_next_try_at')

    op.drop_table('lti_grade_sends')
    with op.batch_alter_table('lti_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_links_assignment_id'))

    op.drop_table('lti_links')
    with op.batch_alter_table('lti_contexts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_contexts_classroom_id'))

    op.drop_table('lti_contexts')
    with op.batch_alter_table('lti_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_identities_user_id'))

    op.drop_table('lti_identities')
    op.drop_table('lti_deployments')
    op.drop_table('lti_tool_keys')
    with op.batch_alter_table('lti_stored_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lti_stored_values_expires_at'))

    op.drop_table('lti_stored_values')
    op.drop_table('lti_platforms')
    op.create_index("uq_classes_teacher_id_active_name", "classes",
                    ["teacher_id", sa.text("lower(name)")], unique=True,
                    sqlite_where=sa.text("NOT archived"),
                    postgresql_where=sa.text("NOT archived"))
