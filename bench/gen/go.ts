/**
 * Go: services with net/http, database/sql, table-driven tests. Partner Center with fmt.Sprintf, +
 * concatenation, http.NewRequestWithContext + client.Do, loops over ranges, cenkalti/backoff retries.
 */
import { camel, Ctx, LanguageGen, LOOK_NOUNS, pascal, PC_HOST, plural } from './types';

export class GoGen implements LanguageGen {
  readonly language = 'go' as const;

  fileName(ctx: Ctx, test: boolean): string {
    const base = `${ctx.noun}${ctx.pick(['', '_service', '_client', '_sync', '_store'])}`;
    return `internal/${ctx.noun}/${base}${test ? '_test' : ''}.go`;
  }

  header(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    if (test) {
      return `package ${n}\n\nimport (\n\t"context"\n\t"testing"\n)\n\n`;
    }
    const imports = ['"context"', '"database/sql"', '"encoding/json"', '"errors"', '"fmt"', '"log/slog"', '"net/http"', '"time"'];
    const consts = [`const pageSize = ${ctx.pick([25, 50, 100])}`];
    if (ctx.kind === 'partner') {
      imports.push('"bytes"', '', '"github.com/cenkalti/backoff/v4"');
      consts.push(`const partnerCenterBase = "${PC_HOST}"`);
    } else if (ctx.kind === 'lookalike') {
      consts.push('const stripeAPI = "https://api.stripe.com"', 'const crmBase = "https://crm.internal.contoso.com"');
    }
    return `// Package ${n} stores and syncs ${plural(n)}.\npackage ${n}\n\nimport (\n${imports.map((i) => (i ? `\t${i}` : '')).join('\n')}\n)\n\n${consts.join('\n')}\n\n// ${N} is one ${n} row.\ntype ${N} struct {\n\tID        string    \`json:"id"\`\n\tName      string    \`json:"name"\`\n\tStatus    string    \`json:"status"\`\n\tAmount    float64   \`json:"amount"\`\n\tUpdatedAt time.Time \`json:"updatedAt"\`\n}\n\n// Service reads and writes ${plural(n)}.\ntype Service struct {\n\tdb     *sql.DB\n\thttp   *http.Client\n\tlog    *slog.Logger\n\tbase   string\n}\n\n// NewService returns a Service.\nfunc NewService(db *sql.DB, base string) *Service {\n\treturn &Service{db: db, http: &http.Client{Timeout: 30 * time.Second}, log: slog.Default(), base: base}\n}\n\n`;
  }

  footer(): string {
    return '';
  }

  plain(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    const o = ctx.other();
    const fn = (s: string) => pascal(s) + ctx.int(1, 99);
    if (test) {
      return ctx.pick([
        () => `func Test${fn('validate')}(t *testing.T) {\n\tcases := []struct {\n\t\tname    string\n\t\tin      ${N}\n\t\twantErr bool\n\t}{\n\t\t{"empty", ${N}{}, true},\n\t\t{"ok", ${N}{ID: "${ctx.rng.hex(6)}", Name: "x", Amount: ${ctx.int(1, 999)}}, false},\n\t}\n\tfor _, tc := range cases {\n\t\tt.Run(tc.name, func(t *testing.T) {\n\t\t\tif err := Validate(tc.in); (err != nil) != tc.wantErr {\n\t\t\t\tt.Fatalf("Validate() error = %v, wantErr %v", err, tc.wantErr)\n\t\t\t}\n\t\t})\n\t}\n}\n\n`,
        () => `func Test${fn('totals')}(t *testing.T) {\n\tgot := Totals([]${N}{{Status: "${ctx.status()}", Amount: 2}, {Status: "${ctx.status()}", Amount: 3}})\n\tif len(got) == 0 {\n\t\tt.Fatal("no totals")\n\t}\n\t_ = context.Background()\n}\n\n`,
      ])();
    }
    return ctx.pick([
      () => `// Get${N}${ctx.int(1, 999)} loads one ${n} by id.
func (s *Service) Get${N}${ctx.int(1, 999)}(ctx context.Context, id string) (*${N}, error) {
\trow := s.db.QueryRowContext(ctx, "SELECT id, name, status, amount, updated_at FROM ${plural(n)} WHERE id = $1", id)
\tvar item ${N}
\tif err := row.Scan(&item.ID, &item.Name, &item.Status, &item.Amount, &item.UpdatedAt); err != nil {
\t\tif errors.Is(err, sql.ErrNoRows) {
\t\t\treturn nil, nil
\t\t}
\t\treturn nil, fmt.Errorf("get ${n} %s: %w", id, err)
\t}
\treturn &item, nil
}\n\n`,
      () => `// List${ctx.int(1, 999)} returns one page of ${plural(n)} with this status.
func (s *Service) List${ctx.int(1, 999)}(ctx context.Context, status string, page int) ([]${N}, error) {
\trows, err := s.db.QueryContext(ctx, "SELECT id, name, status, amount, updated_at FROM ${plural(n)} WHERE status = $1 ORDER BY updated_at DESC LIMIT $2 OFFSET $3", status, pageSize, page*pageSize)
\tif err != nil {
\t\treturn nil, err
\t}
\tdefer rows.Close()
\tvar out []${N}
\tfor rows.Next() {
\t\tvar item ${N}
\t\tif err := rows.Scan(&item.ID, &item.Name, &item.Status, &item.Amount, &item.UpdatedAt); err != nil {
\t\t\treturn nil, err
\t\t}
\t\tout = append(out, item)
\t}
\treturn out, rows.Err()
}\n\n`,
      () => `// Validate${ctx.int(1, 999)} checks a ${n} before it is stored.
func Validate${ctx.int(1, 999)}(item ${N}) error {
\tif item.ID == "" {
\t\treturn errors.New("${n} id is required")
\t}
\tif item.Amount < 0 {
\t\treturn fmt.Errorf("amount of ${n} %s must not be negative: %v", item.ID, item.Amount)
\t}
\treturn nil
}\n\n`,
      () => `// Totals${ctx.int(1, 999)} sums amounts per status.
func Totals${ctx.int(1, 999)}(items []${N}) map[string]float64 {
\tout := make(map[string]float64, len(items))
\tfor _, it := range items {
\t\tout[it.Status] += it.Amount
\t}
\treturn out
}\n\n`,
      () => `// Fetch${pascal(o)}${ctx.int(1, 999)} asks the ${o} service about a ${n}.
func (s *Service) Fetch${pascal(o)}${ctx.int(1, 999)}(ctx context.Context, id string) ([]byte, error) {
\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/api/${plural(n)}/"+id+"/${plural(o)}", nil)
\tif err != nil {
\t\treturn nil, err
\t}
\tresp, err := s.http.Do(req)
\tif err != nil {
\t\treturn nil, err
\t}
\tdefer resp.Body.Close()
\tvar payload json.RawMessage
\tif err := json.NewDecoder(resp.Body).Decode(&payload); err != nil {
\t\treturn nil, err
\t}
\ts.log.Debug("${o} fetched", "id", id, "status", resp.StatusCode)
\treturn payload, nil
}\n\n`,
    ])();
  }

  lookalike(ctx: Ctx): string {
    const k = ctx.int(1, 999);
    const ln = ctx.pick(LOOK_NOUNS);
    return ctx.pick([
      () => `// StripeSubscriptions${k} lists a Stripe customer's subscriptions (same path shape as Partner Center).
func (s *Service) StripeSubscriptions${k}(ctx context.Context, customerID string) (*http.Response, error) {
\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/customers/%s/subscriptions", stripeAPI, customerID), nil)
\tif err != nil {
\t\treturn nil, err
\t}
\treturn s.http.Do(req)
}\n\n`,
      () => `// CrmOrders${k} reads orders from the CRM.
func (s *Service) CrmOrders${k}(customerID string) (*http.Response, error) {
\treturn s.http.Get(crmBase + "/v1/customers/" + customerID + "/orders")
}\n\n`,
      () => `// Log${pascal(ln)}Totals${k} logs how many ${plural(ln)} are active.
func (s *Service) Log${pascal(ln)}Totals${k}(items []map[string]string) {
\tactive := 0
\tfor _, it := range items {
\t\tif it["status"] == "active" {
\t\t\tactive++
\t\t}
\t}
\ts.log.Info("customer orders and subscriptions synced", "active", active, "total", len(items))
}\n\n`,
    ])();
  }

  partner(ctx: Ctx): string {
    const k = ctx.int(1, 999);
    const v = camel('customer', 'id');
    switch (ctx.int(0, 8)) {
      case 0:
        return `// Subscriptions${k} lists a customer's subscriptions.
func (s *Service) Subscriptions${k}(ctx context.Context, ${v} string) (*http.Response, error) {
\turl := fmt.Sprintf("%s/v1/customers/%s/subscriptions", partnerCenterBase, ${v})
\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
\tif err != nil {
\t\treturn nil, err
\t}
\t${ctx.call('list-customer-subscriptions', 'format')}return s.http.Do(req)
}\n\n`;
      case 1:
        return `// Transfers${k} lists a customer's transfers.
func (s *Service) Transfers${k}(${v} string) (*http.Response, error) {
\t${ctx.call('list-customer-transfers', 'concat')}return http.Get(partnerCenterBase + "/v1/customers/" + ${v} + "/transfers")
}\n\n`;
      case 2:
        return `// AllOrders${k} reads the orders of every customer.
func (s *Service) AllOrders${k}(ctx context.Context, ids []string) ([]*http.Response, error) {
\tvar out []*http.Response
\tfor _, id := range ids {
\t\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/v1/customers/%s/orders", partnerCenterBase, id), nil)
\t\tif err != nil {
\t\t\treturn nil, err
\t\t}
\t\t${ctx.call('list-customer-orders', 'format', { loop: true })}resp, err := s.http.Do(req)
\t\tif err != nil {
\t\t\treturn nil, err
\t\t}
\t\tout = append(out, resp)
\t}
\treturn out, nil
}\n\n`;
      case 3:
        return `// Order${k} reads one order, retrying with exponential backoff.
func (s *Service) Order${k}(ctx context.Context, ${v}, orderID string) (*http.Response, error) {
\tvar resp *http.Response
\terr := backoff.Retry(func() error {
\t\tvar err error
\t\t${ctx.call('get-order', 'concat', { retry: true })}resp, err = s.http.Get(partnerCenterBase + "/v1/customers/" + ${v} + "/orders/" + orderID)
\t\treturn err
\t}, backoff.WithContext(backoff.NewExponentialBackOff(), ctx))
\treturn resp, err
}\n\n`;
      case 4:
        return `// SetQuantity${k} changes a subscription's quantity.
func (s *Service) SetQuantity${k}(ctx context.Context, ${v}, subscriptionID string, quantity int) (*http.Response, error) {
\tbody, _ := json.Marshal(map[string]int{"quantity": quantity})
\treq, err := http.NewRequestWithContext(ctx, http.MethodPatch, fmt.Sprintf("%s/v1/customers/%s/subscriptions/%s", partnerCenterBase, ${v}, subscriptionID), bytes.NewReader(body))
\tif err != nil {
\t\treturn nil, err
\t}
\treq.Header.Set("Content-Type", "application/json")
\t${ctx.call('update-subscription', 'format')}return s.http.Do(req)
}\n\n`;
      case 5:
        return `// AddOns${k} lists a subscription's add-ons.
func (s *Service) AddOns${k}(ctx context.Context, ${v}, subscriptionID string) (*http.Response, error) {
\treq, err := http.NewRequestWithContext(ctx, http.MethodGet, partnerCenterBase+"/v1/customers/"+${v}+"/subscriptions/"+subscriptionID+"/addons", nil)
\tif err != nil {
\t\treturn nil, err
\t}
\t${ctx.call('list-subscription-addons', 'concat')}return s.http.Do(req)
}\n\n`;
      case 6: {
        const given = ctx.chance(0.5);
        return `// Agreements${k} reads a customer's agreements.
func (s *Service) Agreements${k}(${v} string) (*http.Response, error) {
\t${ctx.call('get-customer-agreements', 'format', { typeGiven: given })}return s.http.Get(fmt.Sprintf("%s/v1/customers/%s/agreements${given ? '?agreementType=MicrosoftCustomerAgreement' : ''}", partnerCenterBase, ${v}))
}\n\n`;
      }
      case 7:
        return `// Entitlements${k} lists the Azure entitlements of a subscription.
func (s *Service) Entitlements${k}(${v}, subscriptionID string) (*http.Response, error) {
\t${ctx.call('list-azure-entitlements', 'format')}return s.http.Get(fmt.Sprintf("%s/v1/customers/%s/subscriptions/%s/azureEntitlements", partnerCenterBase, ${v}, subscriptionID))
}\n\n`;
      default:
        return `// Provisioning${k} reads an order's provisioning status.
func (s *Service) Provisioning${k}(${v}, orderID string) (*http.Response, error) {
\t${ctx.call('get-order-provisioning-status', 'format')}return s.http.Get(fmt.Sprintf("%s/v1/customers/%s/orders/%s/provisioningstatus", partnerCenterBase, ${v}, orderID))
}\n\n`;
    }
  }
}
