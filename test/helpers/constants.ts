export const DEMO_PASSWORD = 'demo-password-for-tests';
export const TEMPLATE_DB = 'sharon_test_template';
