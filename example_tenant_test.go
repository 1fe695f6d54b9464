package scopix_test

import (
	"context"
	"fmt"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Invite a colleague, promote them, and read what the audit log recorded.
func ExampleTenantService_InviteMember() {
	srv := scopixtest.Start()
	defer srv.Close()
	client := srv.Client()
	defer client.Close()
	ctx := context.Background()

	member, err := client.Tenant.InviteMember(ctx, "inspector@example.com", scopix.MemberRoleEditor)
	if err != nil {
		fmt.Println(err)
		return
	}
	member, err = client.Tenant.UpdateMemberRole(ctx, member.ID, scopix.MemberRoleAdmin)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(member.Email, "is now", member.Role)

	members, err := client.Tenant.Members(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("members:", len(members))

	denied := 0
	for entry, err := range client.Audit.ListAll(ctx, &scopix.AuditListParams{Result: scopix.AuditDenied}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if entry.Severity == scopix.SeverityWarning {
			denied++
		}
	}
	fmt.Println("denied events:", denied)
	// Output:
	// inspector@example.com is now admin
	// members: 3
	// denied events: 6
}
